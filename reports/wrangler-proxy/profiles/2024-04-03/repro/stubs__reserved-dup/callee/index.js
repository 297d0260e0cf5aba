import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let dupRuns = 0;
class Target extends RpcTarget {
  ["alarm"](...args) { return { value: input("\"\""), args }; }
  get ["A"]() { return new Target(); }
}
export class A extends WorkerEntrypoint {
  ["_"]() { return new Target(); }
  ["a"]() { return dupRuns; }
}