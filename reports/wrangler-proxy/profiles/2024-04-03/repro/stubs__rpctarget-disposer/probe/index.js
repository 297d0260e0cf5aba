import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
let disposed = 0;
class Target extends RpcTarget {
  ["A"]() { return disposed; }
  [Symbol.dispose]() { disposed++; }
}
export default {
  async fetch(request, env, ctx) {
    try {

      const call = await observe(() => env.S["_"](new Target()));
      const afterCall = disposed;
      for (let i = 0; i < 100 && disposed === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ call, afterCall, disposed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};