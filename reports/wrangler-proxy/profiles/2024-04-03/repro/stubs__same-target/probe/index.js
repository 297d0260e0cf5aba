import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
let disposed = 0, count = 0;
class Target extends RpcTarget {
  ["A"]() { return ++count; }
  [Symbol.dispose]() { disposed++; }
}
export default {
  async fetch(request, env, ctx) {
    try {

      const target = new Target();
      const results = [];
      for (const c of [{"times":1,"nested":false}]) {
        const args = Array.from({ length: c.times }, (_, i) => (c.nested && i % 2 === 1 ? { ["a"]: target } : target));
        results.push(await observe(() => env.S["_"](...args)));
      }
      for (let i = 0; i < 100 && disposed < 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ results, disposed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};