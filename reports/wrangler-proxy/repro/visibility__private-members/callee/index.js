import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  #A = "";
  #a() { return this.#A; }
  ["a"]() { return this.#a(); }
}