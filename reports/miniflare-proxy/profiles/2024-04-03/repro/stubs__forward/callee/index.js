import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let total = 0;
class Counter extends RpcTarget { ["_"]() { return ++total; } }
export class A extends WorkerEntrypoint {
  ["$"]() { return new Counter(); }
  ["a"]() { return total; }
}