import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\"");
      const p = env.S["a"]();
      await p;
      const viaFunction = await observe(() => p["$"]["A"](arg));
      const viaData = await observe(() => p["$"]["Aa"]);
      const viaTarget = [];
      for (let i = 0; i < 1; i++) viaTarget.push(await observe(() => p["A"]["A"](arg)));
      const f = env.S["aa"](input("\"\""));
      await f;
      const viaCall = await observe(() => f(arg));
      const makes = await env.S["$a"]();
      const q = env.S["ab"]();
      await q;
      const primCall = await observe(() => q["$"]());
      const primRead = await observe(() => q["$"]);
      const primSelf = await observe(() => q(arg));
      return respond({ viaFunction, viaData, viaTarget, viaCall, makes, primCall, primRead, primSelf });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};