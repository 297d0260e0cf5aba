import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["_"]() { return ++this.#n; } }
export class A extends WorkerEntrypoint {
  ["$"]() {
    const stubs = { fn: () => "fn", target: new Counter() };
    return { data: input("\"\""), ["a"]: stubs };
  }
}