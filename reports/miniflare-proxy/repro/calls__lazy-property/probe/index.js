import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const p = env.S["a"];
      await new Promise((resolve) => setTimeout(resolve, 20));
      const before = await env.S["$"]();
      const values = [];
      for (let i = 0; i < 1; i++) values.push(await observe(() => p));
      const after = await env.S["$"]();
      return respond({ before, values, after });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};