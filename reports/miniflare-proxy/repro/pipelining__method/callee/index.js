import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  #seed;
  constructor(seed) { super(); this.#seed = seed; }
  ["$"](...args) { return { from: "target", seed: this.#seed, args }; }
}
export class A extends WorkerEntrypoint {
  ["_"](seed) { return new Target(seed); }
  ["$$"](seed) { return { ["$"]: (...args) => ({ from: "function", seed, args }) }; }
}