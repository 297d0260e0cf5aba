import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
class A extends WorkerEntrypoint {
  ["AA"]() { return input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[\"\\ud800\"]}"); }
  ["_"]() { return 0; }
  get ["A"]() { return { level: 0, hasEnv: typeof this.env }; }
}
export class AA extends A {
  [undefined]() { return input("\"\""); }
  ["_"]() { return 1; }
  ["a"]() { return super["_"](); }
}