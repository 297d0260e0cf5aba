import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["$"]()["_"]());
      const read = await observe(() => env.S["$"]()["_"]);
      const p = env.S["$"]();
      const both = [await observe(() => p["_"]()), await observe(() => p)];
      return respond({ call, read, both });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};