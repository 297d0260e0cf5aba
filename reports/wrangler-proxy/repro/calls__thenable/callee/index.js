import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return input("\"\""); }
  ["aa"]() { throw new Error("A0"); }
}