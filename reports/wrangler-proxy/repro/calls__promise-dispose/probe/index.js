import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\"");
      const p = env.S["a"]();
      const q = env.S["aa"]();
      
      const kind = typeof p[Symbol.dispose];
      p[Symbol.dispose]();
      q[Symbol.dispose]();
      let again = "returned";
      try { p[Symbol.dispose](); } catch (e) { again = "threw"; }
      const pipeCall = await observe(() => p["$"]["ab"](arg));
      const pipeRead = await observe(() => p["A"]);
      const targetPipe = await observe(() => q["ab"](arg));
      const result = await p;
      const stubUse = await observe(() => result["$"]["ab"](arg));
      const target = await q;
      const targetUse = await observe(() => target["ab"](arg));
      return respond({ kind, again, pipeCall, pipeRead, targetPipe, data: result["A"], stubUse, targetUse });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};