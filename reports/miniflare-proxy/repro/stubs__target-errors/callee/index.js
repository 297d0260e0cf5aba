import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget {
  ["$"]() { throw new Error("aa"); }
  async ["async " + "$"]() { await null; throw new Error("aa"); }
}
export class A extends WorkerEntrypoint {
  ["a"]() { return new Target(); }
  ["$"]() { return () => { throw new Error("aa"); }; }
  async ["aa"](cb, caught) {
    if (!caught) return await cb();
    try { await cb(); return { caught: false }; } catch (e) { return { caught: true, cls: e.constructor.name, name: e.name, message: e.message, remote: e.remote }; }
  }
}