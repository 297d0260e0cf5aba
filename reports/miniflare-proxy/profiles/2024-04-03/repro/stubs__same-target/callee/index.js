import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  async ["$"](...args) {
    const stubs = args.map((a) => (a !== null && typeof a === "object" && !(a instanceof RpcTarget) && "a" in a ? a["a"] : a));
    const same = stubs.every((s) => s === stubs[0]);
    const counts = [];
    for (const s of stubs) counts.push(await s["_"]());
    let afterDispose = null;
    if (stubs.length > 1) {
      stubs[0][Symbol.dispose]();
      try { await stubs[stubs.length - 1]["_"](); afterDispose = "resolved"; } catch (e) { afterDispose = [e.name, e.message]; }
    }
    return { same, counts, afterDispose };
  }
}