import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["$"]() { return "A"; }
}
export class Aa extends WorkerEntrypoint {
  ["a"]() { return "Aa"; }
}
export default class extends WorkerEntrypoint {
  ["$_"]() { return "default"; }
}