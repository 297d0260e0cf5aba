import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
let constructed = 0;
let reads = 0;
export class A extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.seq = ++constructed; }
  get ["$"]() { reads++; return { value: input("\"\""), seq: this.seq, hasCtx: typeof this.ctx.waitUntil }; }
  get ["_"]() { return new Promise((resolve) => setTimeout(() => resolve(input("\"\"")), 0)); }
  get ["a"]() { reads++; return undefined; }
  ["aA"]() { return reads; }
}
A.prototype["aa"] = input("\"\"");