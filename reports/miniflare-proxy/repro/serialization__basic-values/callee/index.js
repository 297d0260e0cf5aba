import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"](received) { return { received, sent: input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[\"\\ud800\"]}]}") }; }
}