import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["aa"] = input("\"\"");
  ["a_"] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this["a"] = input("\"\"");
    this["$"] = () => "assigned function";
  }
  static ["b"]() { return "static"; }
  static get ["A"]() { return "static getter"; }
}