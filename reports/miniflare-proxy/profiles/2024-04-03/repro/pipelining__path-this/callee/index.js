import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["_"]() { return { ["a"]: input("\"\\ud800\""),
      ["aa"](...args) { return { own: this["a"], args }; },
      get ["aA"]() { return this["a"]; },
      get ["a$"]() { const own = this["a"]; return (...args) => ({ own, args }); } }; } }
export class A extends WorkerEntrypoint {
  ["$"]() { return { ["a"]: input("\"\\ud800\""),
      ["aa"](...args) { return { own: this["a"], args }; },
      get ["aA"]() { return this["a"]; },
      get ["a$"]() { const own = this["a"]; return (...args) => ({ own, args }); } }; }
  get ["_"]() { return { ["a"]: input("\"\\ud800\""),
      ["aa"](...args) { return { own: this["a"], args }; },
      get ["aA"]() { return this["a"]; },
      get ["a$"]() { const own = this["a"]; return (...args) => ({ own, args }); } }; }
}