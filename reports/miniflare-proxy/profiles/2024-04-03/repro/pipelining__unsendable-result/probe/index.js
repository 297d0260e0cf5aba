import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const p = env.S["$"]();
      const uses = [];
      const call = await observe(() => p["_"]["a"]());
      const read = await observe(() => p["_"].data);
      const fresh = await observe(() => env.S["$"]()["_"]["a"]());
      return respond({ call, read, fresh, result: await observe(() => p), uses });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};