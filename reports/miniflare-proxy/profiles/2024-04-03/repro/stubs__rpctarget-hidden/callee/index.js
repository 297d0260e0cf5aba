import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class A0 extends RpcTarget {
  ["a0"]() { return input("\"\\ud800\""); }
  static ["$"]() { return "base static"; }
}
class Rpc_Target extends A0 {
  static ["aA"]() { return input("\"\""); }
  #_() { return input("\"\""); }
  #$a = input("\"\"");
  peek() { return [this.#_(), this.#$a]; } // the private members are in use
}
export class A extends WorkerEntrypoint {
  ["a"]() { return new Rpc_Target(); }
}