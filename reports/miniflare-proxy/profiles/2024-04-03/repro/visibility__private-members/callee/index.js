import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  #a = "";
  #A() { return this.#a; }
  ["$"]() { return this.#A(); }
}