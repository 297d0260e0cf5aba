import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["a"]()["length"]());
      const read = await observe(() => env.S["a"]()["length"]);
      return respond({ call, read });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};