import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const p = env.S["a"]();
      const uses = [];
      const call = await observe(() => p["aa"]["ab"]());
      const read = await observe(() => p["aa"].data);
      const fresh = await observe(() => env.S["a"]()["aa"]["ab"]());
      return respond({ call, read, fresh, result: await observe(() => p), uses });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};