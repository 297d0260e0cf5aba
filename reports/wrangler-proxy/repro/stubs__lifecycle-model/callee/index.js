import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Counter extends RpcTarget {
  #count = 0;
  ["aa"]() { return ++this.#count; }
  ["ab"]() { return this; }
}
export class A extends WorkerEntrypoint {
  ["a"]() { return new Counter(); }
  async ["$"](stub) { return await stub["aa"](); }
}