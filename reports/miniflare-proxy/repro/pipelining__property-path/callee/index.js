import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"]() { return { ["$"]: { ["A"]: (x) => ({ called: x }), ["A0"]: input("\"\"") } }; }
}