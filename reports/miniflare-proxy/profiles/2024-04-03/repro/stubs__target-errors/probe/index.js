import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {
const result = await observe(async () => (await env.S["$"]())["_"]());
      return respond({ result, remote: result.ok ? undefined : result.error?.remote });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};