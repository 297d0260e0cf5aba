import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"](received) { return { received, sent: input("{\"$\":\"map\",\"id\":1,\"entries\":[[{\"$\":\"error\",\"id\":2,\"class\":\"Error\",\"name\":\"Error\",\"message\":\"\\ud800\",\"props\":[]},{\"$\":\"regexp\",\"id\":3,\"source\":\"(?:)\",\"flags\":\"\",\"lastIndex\":0}]]}") }; }
}