import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["a"]() { return new Date(0); } }
export class A extends WorkerEntrypoint {
  ["_"]() { return { ["A"]: new Date(0), ok: 1 }; }
  get ["a"]() { return { ["A"]: new Date(0) }; }
}