import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"] = input("\"\\ud800\"");
  ["aa"] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this["$"] = input("\"\\ud800\"");
    this["_"] = () => "assigned function";
  }
  static ["aA"]() { return "static"; }
  static get ["a$"]() { return "static getter"; }
}