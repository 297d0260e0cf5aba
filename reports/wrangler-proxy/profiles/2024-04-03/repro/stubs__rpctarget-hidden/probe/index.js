import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const t = await env.S["$"]();
      const out = { inherited: await observe(() => t["$$"]()), thenInherited: await observe(() => env.S["$"]()["$$"]()) };
      for (const name of ["A","A_","#A0","#_"]) {
        out["call " + name] = await observe(() => t[name]());
        out["read " + name] = await observe(() => t[name]);
        out["pipelined " + name] = await observe(() => env.S["$"]()[name]());
      }
      return respond(out);
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};