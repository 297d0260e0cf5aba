import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"]() { return { count: arguments.length, args: Array.from(arguments) }; }
}