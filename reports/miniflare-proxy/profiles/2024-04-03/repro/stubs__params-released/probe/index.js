import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
class Target extends RpcTarget {
  ["a"](x) { return { target: x }; }
}
export default {
  async fetch(request, env, ctx) {
    try {

      const during = await observe(() => env.S["$"](new Target(), (x) => ({ fn: x }), 0));
      const later = await observe(() => env.S["_"](0));
      return respond({ during, later });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};