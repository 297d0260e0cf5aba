import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["_"](received) { return { received, sent: input("{\"$\":\"error\",\"id\":1,\"class\":\"Error\",\"name\":\"Error\",\"message\":\"\",\"props\":[]}") }; }
}