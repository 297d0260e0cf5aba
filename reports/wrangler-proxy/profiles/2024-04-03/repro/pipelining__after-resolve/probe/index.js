import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\\ud800\"");
      const p = env.S["_"]();
      await p;
      const viaFunction = await observe(() => p["$"]["AA"](arg));
      const viaData = await observe(() => p["$"]["A$"]);
      const viaTarget = [];
      for (let i = 0; i < 1; i++) viaTarget.push(await observe(() => p["AA"]["AA"](arg)));
      const f = env.S["A"](input("\"\""));
      await f;
      const viaCall = await observe(() => f(arg));
      const makes = await env.S["_a"]();
      const q = env.S["a"]();
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