import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget {
  #count = 0;
  ["_"]() { return ++this.#count; }
  ["A"]() { return this; }
}
export class A extends WorkerEntrypoint {
  ["$"]() { return new Counter(); }
  async ["a"](stub) { return await stub["_"](); }
}