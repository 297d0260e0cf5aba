import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["aa"](x) { return { echoed: x }; }
}
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["a_"]: new Target(), ["b"]: input("\"\"") }; }
  ["$"]() { return new Target(); }
}