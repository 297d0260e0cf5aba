import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["aa"]: { data: input("\"\""), ["ab"]() { return this.data; } }, ["$"]: Symbol() }; }
}