import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  #seed;
  constructor(seed) { super(); this.#seed = seed; }
  ["aa"](...args) { return { from: "target", seed: this.#seed, args }; }
}
export class A extends WorkerEntrypoint {
  ["a"](seed) { return new Target(seed); }
  ["ab"](seed) { return { ["aa"]: (...args) => ({ from: "function", seed, args }) }; }
}