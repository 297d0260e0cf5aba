import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
class A extends WorkerEntrypoint {
  ["A$"]() { return input("\"\""); }
  ["$"]() { return 0; }
  get ["A"]() { return { level: 0, hasEnv: typeof this.env }; }
}
class A0 extends A {
  ["_"]() { return input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[\"\\ud800\"]}"); }
  ["$"]() { return 1; }
}
export class B extends A0 {
  [undefined]() { return input("\"\""); }
  ["$"]() { return 2; }
  ["Aa"]() { return super["$"](); }
}