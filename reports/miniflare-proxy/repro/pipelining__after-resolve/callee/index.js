import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let makes = 0;
class Target extends RpcTarget {
  #calls = 0;
  ["b"](x) { return { x, calls: ++this.#calls }; }
}
export class A extends WorkerEntrypoint {
  ["a"]() { const make = ++makes; return { ["a_"]: { ["b"]: (x) => ({ x, make }), ["A"]: input("\"\"") }, ["b"]: new Target() }; }
  ["$"](seed) { const make = ++makes; return (x) => ({ seed, x, make }); }
  ["aa"]() { return input("0"); }
  ["a0"]() { return makes; }
}