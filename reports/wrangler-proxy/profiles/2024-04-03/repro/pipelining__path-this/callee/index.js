import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["A"]() { return { ["a"]: input("\"\""),
      ["$"](...args) { return { own: this["a"], args }; },
      get ["AA"]() { return this["a"]; },
      get ["A$"]() { const own = this["a"]; return (...args) => ({ own, args }); } }; } }
export class A extends WorkerEntrypoint {
  ["_"]() { return { ["a"]: input("\"\""),
      ["$"](...args) { return { own: this["a"], args }; },
      get ["AA"]() { return this["a"]; },
      get ["A$"]() { const own = this["a"]; return (...args) => ({ own, args }); } }; }
  get ["A"]() { return { ["a"]: input("\"\""),
      ["$"](...args) { return { own: this["a"], args }; },
      get ["AA"]() { return this["a"]; },
      get ["A$"]() { const own = this["a"]; return (...args) => ({ own, args }); } }; }
}