import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
class A extends WorkerEntrypoint {
  ["_a"]() { return input("\"\\ud800\""); }
  ["$"]() { return 0; }
  get ["_"]() { return { level: 0, hasEnv: typeof this.env }; }
}
class Aa extends A {
  ["$a"]() { return input("\"\""); }
  ["$"]() { return 1; }
}
export class A0 extends Aa {
  [undefined]() { return input("\"\""); }
  ["$"]() { return 2; }
  ["$$"]() { return super["$"](); }
}