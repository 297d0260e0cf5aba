import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); throw new Error(""); }
  ["$"]() { return "unreachable"; }
}