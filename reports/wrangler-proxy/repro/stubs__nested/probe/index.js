import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
class Counter extends RpcTarget { #n = 0; ["$"]() { return ++this.#n; } }
export default {
  async fetch(request, env, ctx) {
    try {

      const got = await env.S["a"]();
      const s = got.stubs["a"];
      const returned = await observe(async () => ({ data: got.data, fn: await s.fn("arg"), inc: [await s.target["$"](), await s.target["$"]()] }));
      const passed = await observe(() => env.S["A"](({ data: input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",\"\"],[\"nested\",{\"$\":\"object\",\"id\":2,\"props\":[[\"list\",{\"$\":\"array\",\"id\":3,\"length\":2,\"items\":[1,2]}]]}]]}"), stubs: { "a": { fn: (x) => ({ fn: x }), target: new Counter() } } })));
      return respond({ returned, passed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};