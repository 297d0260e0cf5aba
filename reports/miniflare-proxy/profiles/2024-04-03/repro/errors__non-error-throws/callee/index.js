import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["$"]() { throw input("{\"$\":\"object\",\"id\":1,\"props\":[]}"); }
}