import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const result = await env.S["a"]();
      const s = result["ab"];
      const before = [await observe(() => s.fn()), await observe(() => s.target["aa"]())];
      const hasDispose = typeof result[Symbol.dispose];
      result[Symbol.dispose]();
      const after = [await observe(() => s.fn()), await observe(() => s.target["aa"]())];
      return respond({ before, hasDispose, after, data: result.data });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};