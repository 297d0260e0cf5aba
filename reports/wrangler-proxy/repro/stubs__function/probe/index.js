import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const fn = await env.S["$"]();
      const kind = typeof fn;
      const results = [];
      for (const x of input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[\"\\ud800\",\"\"]}")) results.push(await observe(() => fn(x)));
      const prop = await observe(() => fn["a"]);
      return respond({ kind, results, prop });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};