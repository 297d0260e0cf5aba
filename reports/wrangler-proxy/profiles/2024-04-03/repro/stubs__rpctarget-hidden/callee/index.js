import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Aa extends RpcTarget {
  ["$$"]() { return input("\"\""); }
  static ["A_"]() { return "base static"; }
}
class Rpc_Target extends Aa {
  static ["A"]() { return input("\"\""); }
  #A0() { return input("\"\""); }
  #_ = input("\"\"");
  peek() { return [this.#A0(), this.#_]; } // the private members are in use
}
export class A extends WorkerEntrypoint {
  ["$"]() { return new Rpc_Target(); }
}