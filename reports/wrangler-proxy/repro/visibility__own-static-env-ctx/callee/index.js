import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["$"] = input("\"\"");
  ["_"] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this["a"] = input("\"\"");
    this["A"] = () => "assigned function";
  }
  static ["Aa"]() { return "static"; }
  static get ["$0"]() { return "static getter"; }
}