import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Echo extends RpcTarget {
  ["_"](...args) { return { from: "stub", args }; }
}
export class A extends WorkerEntrypoint {
  ["_"](...args) { return { from: "binding", args }; }
  ["a"]() { return new Echo(); }
}