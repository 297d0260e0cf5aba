import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"] = input("\"\"");
  ["$"] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this["_"] = input("\"\"");
    this["A"] = () => "assigned function";
  }
  static ["AA"]() { return "static"; }
  static get ["A$"]() { return "static getter"; }
}