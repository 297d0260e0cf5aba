import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
let constructed = 0;
let reads = 0;
export class A extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.seq = ++constructed; }
  get ["a"]() { reads++; return { value: input("\"\""), seq: this.seq, hasCtx: typeof this.ctx.waitUntil }; }
  get ["$"]() { return new Promise((resolve) => setTimeout(() => resolve(input("\"\\ud800\"")), 0)); }
  get ["aa"]() { reads++; return undefined; }
  ["b"]() { return reads; }
}
A.prototype["a_"] = input("\"\"");