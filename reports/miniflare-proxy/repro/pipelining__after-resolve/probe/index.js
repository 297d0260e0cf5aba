import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const arg = input("\"\\ud800\"");
      const p = env.S["a"]();
      await p;
      const viaFunction = await observe(() => p["a_"]["b"](arg));
      const viaData = await observe(() => p["a_"]["A"]);
      const viaTarget = [];
      for (let i = 0; i < 1; i++) viaTarget.push(await observe(() => p["b"]["b"](arg)));
      const f = env.S["$"](input("\"\""));
      await f;
      const viaCall = await observe(() => f(arg));
      const makes = await env.S["a0"]();
      const q = env.S["aa"]();
      await q;
      const primCall = await observe(() => q["a_"]());
      const primRead = await observe(() => q["a_"]);
      const primSelf = await observe(() => q(arg));
      return respond({ viaFunction, viaData, viaTarget, viaCall, makes, primCall, primRead, primSelf });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};