import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let made = 0;
export class A extends WorkerEntrypoint {
  ["$"]() {
    const serial = ++made; let calls = 0;
    const f = (x) => ({ tag: input("\"\""), x, serial, calls: ++calls });
    f["a"] = input("\"\"");
    return f;
  }
}