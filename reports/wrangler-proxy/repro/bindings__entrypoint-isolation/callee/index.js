import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return "A"; }
}
export class Aa extends WorkerEntrypoint {
  ["$"]() { return "Aa"; }
}
export default class extends WorkerEntrypoint {
  ["_"]() { return "default"; }
}