import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\"");
      const p = env.S["$"]();
      await p;
      const viaFunction = await observe(() => p["aa"]["aA"](arg));
      const viaData = await observe(() => p["aa"]["a$"]);
      const viaTarget = [];
      for (let i = 0; i < 1; i++) viaTarget.push(await observe(() => p["aA"]["aA"](arg)));
      const f = env.S["_"](input("\"\\ud800\""));
      await f;
      const viaCall = await observe(() => f(arg));
      const makes = await env.S["A"]();
      const q = env.S["a"]();
      await q;
      const primCall = await observe(() => q["aa"]());
      const primRead = await observe(() => q["aa"]);
      const primSelf = await observe(() => q(arg));
      return respond({ viaFunction, viaData, viaTarget, viaCall, makes, primCall, primRead, primSelf });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};