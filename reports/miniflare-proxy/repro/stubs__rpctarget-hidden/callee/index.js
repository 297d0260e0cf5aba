import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class AA extends RpcTarget {
  ["$"]() { return input("\"\""); }
  static ["a"]() { return "base static"; }
}
class Rpc_Target extends AA {
  static ["_a"]() { return input("\"\""); }
  #aA() { return input("\"\""); }
  #a_ = input("\"\"");
  peek() { return [this.#aA(), this.#a_]; } // the private members are in use
}
export class A extends WorkerEntrypoint {
  ["_"]() { return new Rpc_Target(); }
}