import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"]() { return "A"; }
}
export class A0 extends WorkerEntrypoint {
  ["a"]() { return "A0"; }
}
export default class extends WorkerEntrypoint {
  ["aa"]() { return "default"; }
}