import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["a"](x) { return { echoed: x }; }
}
export class A extends WorkerEntrypoint {
  ["_"]() { return { ["$"]: new Target(), ["AA"]: input("\"\"") }; }
  ["A"]() { return new Target(); }
}