import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["A"]() { return ++this.#n; } }
export class A extends WorkerEntrypoint {
  ["_"]() {
    const stubs = { fn: () => "fn", target: new Counter() };
    return { data: input("\"\""), ["a"]: stubs };
  }
}