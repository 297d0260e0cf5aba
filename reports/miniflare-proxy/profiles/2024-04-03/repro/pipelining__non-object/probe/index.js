import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["$"]()["_"]());
      const read = await observe(() => env.S["$"]()["_"]);
      return respond({ call, read });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};