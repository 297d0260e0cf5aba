import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
class A extends WorkerEntrypoint {
  ["$_"]() { return input("\"\\ud800\""); }
  ["_"]() { return 0; }
  get ["$"]() { return { level: 0, hasEnv: typeof this.env }; }
}
export class A0 extends A {
  [undefined]() { return input("\"\""); }
  ["_"]() { return 1; }
  ["_A"]() { return super["_"](); }
}