import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["aa"]() { return { ["ab"]: input("\"\""),
      ["$"](...args) { return { own: this["ab"], args }; },
      get ["A"]() { return this["ab"]; },
      get ["Aa"]() { const own = this["ab"]; return (...args) => ({ own, args }); } }; } }
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["ab"]: input("\"\""),
      ["$"](...args) { return { own: this["ab"], args }; },
      get ["A"]() { return this["ab"]; },
      get ["Aa"]() { const own = this["ab"]; return (...args) => ({ own, args }); } }; }
  get ["aa"]() { return { ["ab"]: input("\"\""),
      ["$"](...args) { return { own: this["ab"], args }; },
      get ["A"]() { return this["ab"]; },
      get ["Aa"]() { const own = this["ab"]; return (...args) => ({ own, args }); } }; }
}