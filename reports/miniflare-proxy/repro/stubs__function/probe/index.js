import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const fn = await env.S["a"]();
      const kind = typeof fn;
      const results = [];
      for (const x of input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[\"\"]}")) results.push(await observe(() => fn(x)));
      const prop = await observe(() => fn["$"]);
      return respond({ kind, results, prop });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};