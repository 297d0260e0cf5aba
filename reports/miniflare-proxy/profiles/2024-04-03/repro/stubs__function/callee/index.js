import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let made = 0;
export class A extends WorkerEntrypoint {
  ["a"]() {
    const serial = ++made; let calls = 0;
    const f = (x) => ({ tag: input("\"\\ud800\""), x, serial, calls: ++calls });
    f["A"] = input("\"\"");
    return f;
  }
}