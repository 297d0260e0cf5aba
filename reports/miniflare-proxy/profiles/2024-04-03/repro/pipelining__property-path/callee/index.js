import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["$"]() { return { ["a"]: { ["a"]: (x) => ({ called: x }), ["$"]: input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[\"\\ud800\"]}]}") } }; }
}