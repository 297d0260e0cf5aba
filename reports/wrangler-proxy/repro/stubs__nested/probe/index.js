import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["ab"]() { return ++this.#n; } }
export default {
  async fetch(request, env, ctx) {
    try {

      const got = await env.S["a"]();
      const s = got.stubs["a"];
      const returned = await observe(async () => ({ data: got.data, fn: await s.fn("arg"), inc: [await s.target["ab"](), await s.target["ab"]()] }));
      const passed = await observe(() => env.S["aa"](({ data: input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[1]}]]}]}"), stubs: { "a": { fn: (x) => ({ fn: x }), target: new Counter() } } })));
      return respond({ returned, passed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};