import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      return respond(await observe(() => env.S["_"]()["A"]["$"]));
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};