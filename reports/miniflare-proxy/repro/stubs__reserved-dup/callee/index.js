import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let dupRuns = 0;
class Target extends RpcTarget {
  ["alarm"](...args) { return { value: input("\"\\ud800\""), args }; }
  get ["$"]() { return new Target(); }
}
export class A extends WorkerEntrypoint {
  ["a"]() { return new Target(); }
  ["aa"]() { return dupRuns; }
}