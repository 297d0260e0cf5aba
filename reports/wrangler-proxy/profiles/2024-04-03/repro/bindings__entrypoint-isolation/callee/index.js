import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"]() { return "A"; }
}
export class Aa extends WorkerEntrypoint {
  ["$"]() { return "Aa"; }
}
export default class extends WorkerEntrypoint {
  ["AA"]() { return "default"; }
}