import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\\ud800\"");
      const p = env.S["a"]();
      const q = env.S["$"]();
      
      const kind = typeof p[Symbol.dispose];
      p[Symbol.dispose]();
      q[Symbol.dispose]();
      let again = "returned";
      try { p[Symbol.dispose](); } catch (e) { again = "threw"; }
      const pipeCall = await observe(() => p["a_"]["aa"](arg));
      const pipeRead = await observe(() => p["b"]);
      const targetPipe = await observe(() => q["aa"](arg));
      const result = await p;
      const stubUse = await observe(() => result["a_"]["aa"](arg));
      const target = await q;
      const targetUse = await observe(() => target["aa"](arg));
      return respond({ kind, again, pipeCall, pipeRead, targetPipe, data: result["b"], stubUse, targetUse });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};