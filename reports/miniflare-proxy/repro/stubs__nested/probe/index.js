import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["aa"]() { return ++this.#n; } }
export default {
  async fetch(request, env, ctx) {
    try {

      const got = await env.S["a"]();
      const s = got.stubs["A"];
      const returned = await observe(async () => ({ data: got.data, fn: await s.fn("arg"), inc: [await s.target["aa"](), await s.target["aa"]()] }));
      const passed = await observe(() => env.S["$"](({ data: input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[1]}]]}]}"), stubs: { "A": { fn: (x) => ({ fn: x }), target: new Counter() } } })));
      return respond({ returned, passed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};