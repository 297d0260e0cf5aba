import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let reads = 0;
export class A extends WorkerEntrypoint {
  get ["a"]() { reads++; return 0 + reads; }
  ["$"]() { return reads; }
}