import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["aA"]() { return /a+/g; } }
export class A extends WorkerEntrypoint {
  ["$"]() { return { ["a"]: /a+/g, ok: 1 }; }
  get ["aA"]() { return { ["a"]: /a+/g }; }
}