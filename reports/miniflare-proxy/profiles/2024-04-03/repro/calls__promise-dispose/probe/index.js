import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\"");
      const p = env.S["$"]();
      const q = env.S["_"]();
      
      const kind = typeof p[Symbol.dispose];
      p[Symbol.dispose]();
      q[Symbol.dispose]();
      let again = "returned";
      try { p[Symbol.dispose](); } catch (e) { again = "threw"; }
      const pipeCall = await observe(() => p["aa"]["a"](arg));
      const pipeRead = await observe(() => p["aA"]);
      const targetPipe = await observe(() => q["a"](arg));
      const result = await p;
      const stubUse = await observe(() => result["aa"]["a"](arg));
      const target = await q;
      const targetUse = await observe(() => target["a"](arg));
      return respond({ kind, again, pipeCall, pipeRead, targetPipe, data: result["aA"], stubUse, targetUse });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};