import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const args = input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}");
      return respond({
        method: await observe(() => env.S["a"]()["$"](...args)),
        acc: await observe(() => env.S["a"]()["A"]),
        fnAcc: await observe(() => env.S["a"]()["Aa"](...args)),
      });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};