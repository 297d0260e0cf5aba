import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["aa"]() { throw new Error("0a"); }
  async ["async " + "aa"]() { await null; throw new Error("0a"); }
}
export class A extends WorkerEntrypoint {
  ["a"]() { return new Target(); }
  ["aa"]() { return () => { throw new Error("0a"); }; }
  async ["ab"](cb, caught) {
    if (!caught) return await cb();
    try { await cb(); return { caught: false }; } catch (e) { return { caught: true, cls: e.constructor.name, name: e.name, message: e.message, remote: e.remote }; }
  }
}