import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["$"]() { return { ["_"]: { data: input("\"\""), ["a"]() { return this.data; } }, ["aa"]: Object(Symbol("boxed")) }; }
}