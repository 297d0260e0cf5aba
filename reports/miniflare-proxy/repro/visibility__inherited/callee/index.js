import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
class A extends WorkerEntrypoint {
  ["Aa"]() { return input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":2,\"props\":[[\"\",\"\\ud800\"]]}]}"); }
  ["A"]() { return 0; }
  get ["$"]() { return { level: 0, hasEnv: typeof this.env }; }
}
export class Aa extends A {
  [undefined]() { return input("\"\\ud800\""); }
  ["A"]() { return 1; }
  ["a"]() { return super["A"](); }
}