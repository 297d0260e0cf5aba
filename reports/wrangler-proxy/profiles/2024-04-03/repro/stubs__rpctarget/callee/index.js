import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  "$" = input("\"\"");
  constructor() { super(); this.hits = 0; }
  ["A"](...args) { this.hits++; return { args, hits: this.hits }; }
  get ["a"]() { return { hits: this.hits }; }
  fetch(...args) { return { fetch: args }; }
}
export class A extends WorkerEntrypoint {
  ["_"]() { return new Target(); }
}