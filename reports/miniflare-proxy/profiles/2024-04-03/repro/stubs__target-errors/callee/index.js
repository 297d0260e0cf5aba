import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["_"]() { throw new Error("0A"); }
  async ["async " + "_"]() { await null; throw new Error("0A"); }
}
export class A extends WorkerEntrypoint {
  ["$"]() { return new Target(); }
  ["_"]() { return () => { throw new Error("0A"); }; }
  async ["a"](cb, caught) {
    if (!caught) return await cb();
    try { await cb(); return { caught: false }; } catch (e) { return { caught: true, cls: e.constructor.name, name: e.name, message: e.message, remote: e.remote }; }
  }
}