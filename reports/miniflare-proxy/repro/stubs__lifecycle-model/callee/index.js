import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget {
  #count = 0;
  ["$"]() { return ++this.#count; }
  ["aa"]() { return this; }
}
export class A extends WorkerEntrypoint {
  ["a"]() { return new Counter(); }
  async ["a_"](stub) { return await stub["$"](); }
}