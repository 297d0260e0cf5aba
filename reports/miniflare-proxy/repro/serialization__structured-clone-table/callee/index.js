import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"](received) { return { received, sent: input("{\"$\":\"boxed\",\"id\":1,\"value\":\"\\ud800\"}") }; }
}