import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  "$__" = input("\"\\ud800\"");
  constructor() { super(); this.hits = 0; }
  ["_A"](...args) { this.hits++; return { args, hits: this.hits }; }
  get ["$"]() { return { hits: this.hits }; }
  fetch(...args) { return { fetch: args }; }
}
export class A extends WorkerEntrypoint {
  ["_"]() { return new Target(); }
}