import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let total = 0;
class Counter extends RpcTarget { ["$"]() { return ++total; } }
export class A extends WorkerEntrypoint {
  ["a"]() { return new Counter(); }
  ["aa"]() { return total; }
}