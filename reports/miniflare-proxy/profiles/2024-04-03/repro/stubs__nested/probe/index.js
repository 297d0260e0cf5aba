import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["a"]() { return ++this.#n; } }
export default {
  async fetch(request, env, ctx) {
    try {

      const got = await env.S["$"]();
      const s = got.stubs["$"];
      const returned = await observe(async () => ({ data: got.data, fn: await s.fn("arg"), inc: [await s.target["a"](), await s.target["a"]()] }));
      const passed = await observe(() => env.S["_"](({ data: input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[\"\\ud800\",{\"$\":\"object\",\"id\":2,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[1]}]]}]}"), stubs: { "$": { fn: (x) => ({ fn: x }), target: new Counter() } } })));
      return respond({ returned, passed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};