import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["$"]() { return { ["aa"]: input("\"\\ud800\""),
      ["a_"](...args) { return { own: this["aa"], args }; },
      get ["b"]() { return this["aa"]; },
      get ["A"]() { const own = this["aa"]; return (...args) => ({ own, args }); } }; } }
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["aa"]: input("\"\\ud800\""),
      ["a_"](...args) { return { own: this["aa"], args }; },
      get ["b"]() { return this["aa"]; },
      get ["A"]() { const own = this["aa"]; return (...args) => ({ own, args }); } }; }
  get ["$"]() { return { ["aa"]: input("\"\\ud800\""),
      ["a_"](...args) { return { own: this["aa"], args }; },
      get ["b"]() { return this["aa"]; },
      get ["A"]() { const own = this["aa"]; return (...args) => ({ own, args }); } }; }
}