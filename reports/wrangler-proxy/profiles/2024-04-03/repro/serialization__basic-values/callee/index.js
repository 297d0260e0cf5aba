import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"](received) { return { received, sent: input("\"\\ud800\"") }; }
}