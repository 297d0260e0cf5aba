import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["A"]() { return ++this.#n; } }
export default {
  async fetch(request, env, ctx) {
    try {

      const got = await env.S["$"]();
      const s = got.stubs["_"];
      const returned = await observe(async () => ({ data: got.data, fn: await s.fn("arg"), inc: [await s.target["A"](), await s.target["A"]()] }));
      const passed = await observe(() => env.S["_"](({ data: input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[1]}]]}]}"), stubs: { "_": { fn: (x) => ({ fn: x }), target: new Counter() } } })));
      return respond({ returned, passed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};