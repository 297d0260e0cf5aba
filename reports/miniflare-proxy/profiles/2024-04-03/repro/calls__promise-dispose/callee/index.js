import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["a"](x) { return { echoed: x }; }
}
export class A extends WorkerEntrypoint {
  ["$"]() { return { ["aa"]: new Target(), ["aA"]: input("\"\"") }; }
  ["_"]() { return new Target(); }
}