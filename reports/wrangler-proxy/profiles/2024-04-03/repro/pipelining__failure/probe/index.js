import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["a"]()["A"]());
      const read = await observe(() => env.S["a"]()["A"]);
      const p = env.S["a"]();
      const both = [await observe(() => p["A"]()), await observe(() => p)];
      return respond({ call, read, both });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};