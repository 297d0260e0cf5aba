import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const t = await env.S["a"]();
      const out = { inherited: await observe(() => t["a0"]()), thenInherited: await observe(() => env.S["a"]()["a0"]()) };
      for (const name of ["aA","$","#_","#$a"]) {
        out["call " + name] = await observe(() => t[name]());
        out["read " + name] = await observe(() => t[name]);
        out["pipelined " + name] = await observe(() => env.S["a"]()[name]());
      }
      return respond(out);
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};