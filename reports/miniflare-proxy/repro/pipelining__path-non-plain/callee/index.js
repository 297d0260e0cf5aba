import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["aa"]() { return new (class A { constructor() { this["$"] = 1; } ["a"]() { return 2; } })(); } }
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["$"]: new (class A { constructor() { this["$"] = 1; } ["a"]() { return 2; } })(), ok: 1 }; }
  get ["aa"]() { return new (class A { constructor() { this["$"] = 1; } ["a"]() { return 2; } })(); }
}