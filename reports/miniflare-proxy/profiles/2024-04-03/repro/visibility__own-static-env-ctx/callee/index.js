import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["$"] = input("\"\"");
  ["$__"] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this["_"] = input("\"\"");
    this["_A"] = () => "assigned function";
  }
  static ["$_"]() { return "static"; }
  static get ["_B"]() { return "static getter"; }
}