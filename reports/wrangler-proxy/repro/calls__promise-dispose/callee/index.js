import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["ab"](x) { return { echoed: x }; }
}
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["$"]: new Target(), ["A"]: input("\"\"") }; }
  ["aa"]() { return new Target(); }
}