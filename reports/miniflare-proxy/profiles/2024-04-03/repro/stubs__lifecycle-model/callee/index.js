import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget {
  #count = 0;
  ["_"]() { return ++this.#count; }
  ["a"]() { return this; }
}
export class A extends WorkerEntrypoint {
  ["$"]() { return new Counter(); }
  async ["aa"](stub) { return await stub["_"](); }
}