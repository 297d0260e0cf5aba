import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
let calls = 0;
export class A extends WorkerEntrypoint {

  ["a"]() { return calls; }
}