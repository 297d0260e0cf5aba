import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["a"]() { return ++this.#n; } }
export class A extends WorkerEntrypoint {
  ["$"]() { return ({ data: input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[\"\\ud800\",{\"$\":\"object\",\"id\":2,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[1]}]]}]}"), stubs: { "$": { fn: (x) => ({ fn: x }), target: new Counter() } } }); }
  async ["_"](received) {
    const s = received.stubs["$"];
    return { data: received.data, fn: await s.fn("arg"), inc: [await s.target["a"](), await s.target["a"]()] };
  }
}