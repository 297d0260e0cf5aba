import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["_"]() { return { ["A"]: { data: input("\"\""), ["a"]() { return this.data; } }, ["$"]: new (class A { constructor() { this.field = 1; } })() }; }
}