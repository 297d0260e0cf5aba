import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["a"]() { return "method"; }
}
export class A extends WorkerEntrypoint {
  ["_"](seed) { return (...args) => ({ seed, args }); }
  ["A"]() { return input("null"); }
}