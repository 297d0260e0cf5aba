import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\\ud800\"");
      const p = env.S["_"]();
      const q = env.S["A"]();
      
      const kind = typeof p[Symbol.dispose];
      p[Symbol.dispose]();
      q[Symbol.dispose]();
      let again = "returned";
      try { p[Symbol.dispose](); } catch (e) { again = "threw"; }
      const pipeCall = await observe(() => p["$"]["a"](arg));
      const pipeRead = await observe(() => p["AA"]);
      const targetPipe = await observe(() => q["a"](arg));
      const result = await p;
      const stubUse = await observe(() => result["$"]["a"](arg));
      const target = await q;
      const targetUse = await observe(() => target["a"](arg));
      return respond({ kind, again, pipeCall, pipeRead, targetPipe, data: result["AA"], stubUse, targetUse });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};