import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let makes = 0;
class Target extends RpcTarget {
  #calls = 0;
  ["A"](x) { return { x, calls: ++this.#calls }; }
}
export class A extends WorkerEntrypoint {
  ["a"]() { const make = ++makes; return { ["$"]: { ["A"]: (x) => ({ x, make }), ["Aa"]: input("\"\"") }, ["A"]: new Target() }; }
  ["aa"](seed) { const make = ++makes; return (x) => ({ seed, x, make }); }
  ["ab"]() { return input("null"); }
  ["$a"]() { return makes; }
}