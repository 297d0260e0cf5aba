import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["_"]() { return input("\"\\ud800\""); }
  ["A"]() { throw new Error("AA"); }
}