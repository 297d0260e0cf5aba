import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["a"]() { return ++this.#n; } }
export class A extends WorkerEntrypoint {
  ["_"]() { return ({ data: input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[1]}]]}]}"), stubs: { "_": { fn: (x) => ({ fn: x }), target: new Counter() } } }); }
  async ["A"](received) {
    const s = received.stubs["_"];
    return { data: received.data, fn: await s.fn("arg"), inc: [await s.target["a"](), await s.target["a"]()] };
  }
}