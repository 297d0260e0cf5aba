import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      let path = env.S;
      let read = 0, threw = null;
      try {
        for (let i = 0; i < 55; i++) { path = path["_"]; read++; }
        path = path["$"]; read++;
      } catch (error) {
        threw = error;
      }
      const reached = threw === null ? await observe(() => path.then((f) => typeof f)) : null;
      return respond({ read, threw, reached });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};