import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  async ["a"](...args) {
    const stubs = args.map((a) => (a !== null && typeof a === "object" && !(a instanceof RpcTarget) && "aa" in a ? a["aa"] : a));
    const same = stubs.every((s) => s === stubs[0]);
    const counts = [];
    for (const s of stubs) counts.push(await s["$"]());
    let afterDispose = null;
    if (stubs.length > 1) {
      stubs[0][Symbol.dispose]();
      try { await stubs[stubs.length - 1]["$"](); afterDispose = "resolved"; } catch (e) { afterDispose = [e.name, e.message]; }
    }
    return { same, counts, afterDispose };
  }
}