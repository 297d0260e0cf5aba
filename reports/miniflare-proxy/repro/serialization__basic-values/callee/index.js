import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["_"](received) { return { received, sent: input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"\\ud800\",\"\"]]}]]}") }; }
}