import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["A"] = input("\"\"");
  ["a"] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this["$"] = input("\"\"");
    this["_0"] = () => "assigned function";
  }
  static ["$a"]() { return "static"; }
  static get ["_"]() { return "static getter"; }
}