import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
class A extends WorkerEntrypoint {
  ["__"]() { return input("\"\\ud800\""); }
  ["a"]() { return 0; }
  get ["a$"]() { return { level: 0, hasEnv: typeof this.env }; }
}
class AA extends A {
  ["_$"]() { return input("\"\""); }
  ["a"]() { return 1; }
}
export class A0 extends AA {
  [undefined]() { return input("\"\""); }
  ["a"]() { return 2; }
  ["_"]() { return super["a"](); }
}