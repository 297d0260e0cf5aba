import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return input("\"\\ud800\""); }
  ["$"]() { throw new Error("Aa"); }
}