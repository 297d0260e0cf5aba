import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  async ["a"](cb, values) {
    const kind = typeof cb; const out = [];
    for (const v of values) out.push(await cb(v));
    return { kind, out };
  }
}