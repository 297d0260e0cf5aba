import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["_"]: { ["_"]: (x) => ({ called: x }), ["_a"]: input("\"\\ud800\"") } }; }
}