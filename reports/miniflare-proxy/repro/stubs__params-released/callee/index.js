import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let kept = null, keptFn = null;
export class A extends WorkerEntrypoint {
  async ["a"](target, fn, x) {
    kept = target; keptFn = fn;
    return null;
  }
  async ["$"](x) {
    const out = {};
    try { out.target = { ok: await kept["aa"](x) }; } catch (e) { out.target = { error: [e.name, e.message] }; }
    try { out.fn = { ok: await keptFn(x) }; } catch (e) { out.fn = { error: [e.name, e.message] }; }
    return out;
  }
}