import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["aa"]() { return ++this.#n; } }
export class A extends WorkerEntrypoint {
  ["a"]() {
    const stubs = { fn: () => "fn", target: new Counter() };
    return { data: input("\"\""), ["ab"]: stubs };
  }
}