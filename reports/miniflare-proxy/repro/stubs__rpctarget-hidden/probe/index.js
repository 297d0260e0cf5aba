import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const t = await env.S["_"]();
      const out = { inherited: await observe(() => t["$"]()), thenInherited: await observe(() => env.S["_"]()["$"]()) };
      for (const name of ["_a","a","#aA","#a_"]) {
        out["call " + name] = await observe(() => t[name]());
        out["read " + name] = await observe(() => t[name]);
        out["pipelined " + name] = await observe(() => env.S["_"]()[name]());
      }
      return respond(out);
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};