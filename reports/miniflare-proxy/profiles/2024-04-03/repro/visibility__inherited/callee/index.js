import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
class A extends WorkerEntrypoint {
  ["_"]() { return input("\"\\ud800\""); }
  ["A"]() { return 0; }
  get ["a"]() { return { level: 0, hasEnv: typeof this.env }; }
}
export class Aa extends A {
  [undefined]() { return input("\"\\ud800\""); }
  ["A"]() { return 1; }
  ["$"]() { return super["A"](); }
}