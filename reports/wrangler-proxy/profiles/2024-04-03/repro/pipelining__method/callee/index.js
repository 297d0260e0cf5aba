import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  #seed;
  constructor(seed) { super(); this.#seed = seed; }
  ["A"](...args) { return { from: "target", seed: this.#seed, args }; }
}
export class A extends WorkerEntrypoint {
  ["_"](seed) { return new Target(seed); }
  ["a"](seed) { return { ["A"]: (...args) => ({ from: "function", seed, args }) }; }
}