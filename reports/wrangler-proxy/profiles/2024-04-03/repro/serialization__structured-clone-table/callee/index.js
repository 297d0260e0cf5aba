import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"](received) { return { received, sent: input("{\"$\":\"error\",\"id\":1,\"class\":\"Error\",\"name\":\"Error\",\"message\":\"\\ud800\",\"props\":[]}") }; }
}