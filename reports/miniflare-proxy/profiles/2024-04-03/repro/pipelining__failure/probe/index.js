import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["$"]()["a"]());
      const read = await observe(() => env.S["$"]()["a"]);
      const p = env.S["$"]();
      const both = [await observe(() => p["a"]()), await observe(() => p)];
      return respond({ call, read, both });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};