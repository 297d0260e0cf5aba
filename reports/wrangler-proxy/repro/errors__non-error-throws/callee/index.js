import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["_"]() { throw Object.assign(new (class A {})(), input("{\"$\":\"object\",\"id\":1,\"props\":[]}")); }
}