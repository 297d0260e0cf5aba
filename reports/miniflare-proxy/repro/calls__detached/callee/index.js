import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Echo extends RpcTarget {
  ["a"](...args) { return { from: "stub", args }; }
}
export class A extends WorkerEntrypoint {
  ["a"](...args) { return { from: "binding", args }; }
  ["$"]() { return new Echo(); }
}