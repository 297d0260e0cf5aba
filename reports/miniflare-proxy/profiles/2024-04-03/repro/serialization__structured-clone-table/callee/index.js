import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["_"](received) { return { received, sent: input("{\"$\":\"boxed\",\"id\":1,\"value\":{\"$\":\"bigint\",\"value\":\"0\"}}") }; }
}