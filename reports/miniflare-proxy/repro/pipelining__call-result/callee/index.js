import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["aa"]() { return "method"; }
}
export class A extends WorkerEntrypoint {
  ["a"](seed) { return (...args) => ({ seed, args }); }
  ["$"]() { return input("false"); }
}