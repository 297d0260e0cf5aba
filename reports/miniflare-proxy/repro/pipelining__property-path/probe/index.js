import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["A"]()["$"]["A"](input("\"\\ud800\"")));
      const read = await observe(() => env.S["A"]()["$"]["A0"]);
      return respond({ call, read });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};