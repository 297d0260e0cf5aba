import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const stub = await env.S["_"]();
      const third = await observe(async () => {
        const r = await env.T["$"](stub);
        return { seen: r.seen, back: r.back ? await r.back["A"]() : null };
      });
      const total = await env.S["a"]();
      return respond({ third, total });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};