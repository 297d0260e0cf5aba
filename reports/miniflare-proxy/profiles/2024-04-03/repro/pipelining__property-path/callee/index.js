import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"]() { return { ["_"]: { ["$"]: (x) => ({ called: x }), ["A"]: input("\"\\ud800\"") } }; }
}