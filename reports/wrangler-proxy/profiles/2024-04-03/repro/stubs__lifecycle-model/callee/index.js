import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget {
  #count = 0;
  ["A"]() { return ++this.#count; }
  ["a"]() { return this; }
}
export class A extends WorkerEntrypoint {
  ["_"]() { return new Counter(); }
  async ["$"](stub) { return await stub["A"](); }
}