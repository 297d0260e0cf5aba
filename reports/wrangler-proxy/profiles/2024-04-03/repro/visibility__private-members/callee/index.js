import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  #$$ = "";
  #$() { return this.#$$; }
  ["a"]() { return this.#$(); }
}