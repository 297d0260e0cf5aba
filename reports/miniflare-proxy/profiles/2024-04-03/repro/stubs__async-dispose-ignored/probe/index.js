import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
let asyncDisposed = 0, disposed = 0;
class Async extends RpcTarget {
  ["_"]() { return "pong"; }
  async [Symbol.asyncDispose]() { asyncDisposed++; }
  
}
class Sync extends RpcTarget {
  ["_"]() { return "pong"; }
  [Symbol.dispose]() { disposed++; }
}
export default {
  async fetch(request, env, ctx) {
    try {

      const target = new Async();
      const results = [];
      for (let i = 0; i < 1; i++) {
        results.push(await observe(() => env.S["$"](target)));
        results.push(await observe(() => env.S["$"](new Sync())));
      }
      for (let i = 0; i < 100 && disposed < 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ results, asyncDisposed, disposed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};