import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return "A"; }
}
export class Aa extends WorkerEntrypoint {
  ["_"]() { return "Aa"; }
}
export default class extends WorkerEntrypoint {
  ["__"]() { return "default"; }
}