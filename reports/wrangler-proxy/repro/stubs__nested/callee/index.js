import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["$"]() { return ++this.#n; } }
export class A extends WorkerEntrypoint {
  ["a"]() { return ({ data: input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",\"\"],[\"nested\",{\"$\":\"object\",\"id\":2,\"props\":[[\"list\",{\"$\":\"array\",\"id\":3,\"length\":2,\"items\":[1,2]}]]}]]}"), stubs: { "a": { fn: (x) => ({ fn: x }), target: new Counter() } } }); }
  async ["A"](received) {
    const s = received.stubs["a"];
    return { data: received.data, fn: await s.fn("arg"), inc: [await s.target["$"](), await s.target["$"]()] };
  }
}