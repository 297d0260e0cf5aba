import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const ok = () => env.S["a"](), bad = () => env.S["$"]();
      const p = ok();
      const shape = { isPromise: p instanceof Promise, then: typeof p.then, catch: typeof p.catch, finally: typeof p.finally };
      const fallback = input("\"\"");
      const thenOk = await observe(() => p.then((v) => ({ fulfilled: v }), () => "rejected"));
      const thenBad = await observe(() => bad().then(() => "fulfilled", (e) => ({ rejected: e })));
      const catchOk = await observe(() => ok().catch(() => fallback));
      const catchBad = await observe(() => bad().catch(() => fallback));
      let runs = [];
      const finallyOk = await observe(() => ok().finally((...a) => { runs.push(a.length); return "ignored"; }));
      const finallyBad = await observe(() => bad().finally((...a) => { runs.push(a.length); return "ignored"; }));
      return respond({ shape, thenOk, thenBad, catchOk, catchBad, finallyOk, finallyBad, runs });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};