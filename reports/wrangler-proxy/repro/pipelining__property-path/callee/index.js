import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"]() { return { ["A"]: { ["_"]: (x) => ({ called: x }), ["_$"]: input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":3,\"props\":[[\"\",\"\\ud800\"]]}]}]}") } }; }
}