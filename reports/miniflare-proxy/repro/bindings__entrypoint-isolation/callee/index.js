import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return "A"; }
}
export class AA extends WorkerEntrypoint {
  ["$"]() { return "AA"; }
}
export default class extends WorkerEntrypoint {
  ["aa"]() { return "default"; }
}