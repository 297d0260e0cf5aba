import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const p = env.S["a"]();
      const uses = [];
      const call = await observe(() => p["$"]["aa"]());
      const read = await observe(() => p["$"].data);
      const fresh = await observe(() => env.S["a"]()["$"]["aa"]());
      return respond({ call, read, fresh, result: await observe(() => p), uses });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};