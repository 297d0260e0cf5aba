import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let makes = 0;
class Target extends RpcTarget {
  #calls = 0;
  ["AA"](x) { return { x, calls: ++this.#calls }; }
}
export class A extends WorkerEntrypoint {
  ["_"]() { const make = ++makes; return { ["$"]: { ["AA"]: (x) => ({ x, make }), ["A$"]: input("\"\\ud800\"") }, ["AA"]: new Target() }; }
  ["A"](seed) { const make = ++makes; return (x) => ({ seed, x, make }); }
  ["a"]() { return input("{\"$\":\"undefined\"}"); }
  ["_a"]() { return makes; }
}