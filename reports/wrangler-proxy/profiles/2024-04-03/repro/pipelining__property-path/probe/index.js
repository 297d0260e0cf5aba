import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["a"]()["_"]["_"](input("\"\"")));
      const read = await observe(() => env.S["a"]()["_"]["_a"]);
      return respond({ call, read });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};