import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  #Aa = "";
  #A() { return this.#Aa; }
  ["A"]() { return this.#A(); }
}