import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let total = 0;
class Counter extends RpcTarget { ["A"]() { return ++total; } }
export class A extends WorkerEntrypoint {
  ["_"]() { return new Counter(); }
  ["a"]() { return total; }
}