import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"]() { return "A"; }
}
export class AA extends WorkerEntrypoint {
  ["_"]() { return "AA"; }
}
export default class extends WorkerEntrypoint {
  ["__"]() { return "default"; }
}