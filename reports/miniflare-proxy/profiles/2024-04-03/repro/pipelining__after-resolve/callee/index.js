import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let makes = 0;
class Target extends RpcTarget {
  #calls = 0;
  ["aA"](x) { return { x, calls: ++this.#calls }; }
}
export class A extends WorkerEntrypoint {
  ["$"]() { const make = ++makes; return { ["aa"]: { ["aA"]: (x) => ({ x, make }), ["a$"]: input("\"\"") }, ["aA"]: new Target() }; }
  ["_"](seed) { const make = ++makes; return (x) => ({ seed, x, make }); }
  ["a"]() { return input("false"); }
  ["A"]() { return makes; }
}