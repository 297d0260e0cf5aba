import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["ab"] = input("\"\"");
  ["$"] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this["a"] = input("\"\"");
    this["aa"] = () => "assigned function";
  }
  static ["A"]() { return "static"; }
  static get ["Aa"]() { return "static getter"; }
}