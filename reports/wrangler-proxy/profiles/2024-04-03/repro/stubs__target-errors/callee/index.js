import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["A"]() { throw new Error("00"); }
  async ["async " + "A"]() { await null; throw new Error("00"); }
}
export class A extends WorkerEntrypoint {
  ["_"]() { return new Target(); }
  ["A"]() { return () => { throw new Error("00"); }; }
  async ["a"](cb, caught) {
    if (!caught) return await cb();
    try { await cb(); return { caught: false }; } catch (e) { return { caught: true, cls: e.constructor.name, name: e.name, message: e.message, remote: e.remote }; }
  }
}