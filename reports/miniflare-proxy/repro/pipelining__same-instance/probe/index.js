import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const before = await env.S["aa"]();
      const p = env.S["a"]();
      const seen = [];
      for (let i = 0; i < 1; i++) seen.push(await observe(() => p["$"]()));
      const after = await env.S["aa"]();
      return respond({ before, seen, after });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};