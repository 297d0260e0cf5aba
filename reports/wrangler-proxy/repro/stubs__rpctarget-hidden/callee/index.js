import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class B extends RpcTarget {
  ["A"]() { return input("\"\""); }
  static ["$"]() { return "base static"; }
}
class Rpc_Target extends B {
  static ["_"]() { return input("\"\\ud800\""); }
  #$a() { return input("\"\""); }
  #B = input("\"\"");
  peek() { return [this.#$a(), this.#B]; } // the private members are in use
}
export class A extends WorkerEntrypoint {
  ["a"]() { return new Rpc_Target(); }
}