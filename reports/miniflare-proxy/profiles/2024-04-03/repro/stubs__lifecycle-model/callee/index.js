import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget {
  #count = 0;
  ["_A"]() { return ++this.#count; }
  ["$"]() { return this; }
}
export class A extends WorkerEntrypoint {
  ["_"]() { return new Counter(); }
  async ["$_"](stub) { return await stub["_A"](); }
}