import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
class Target extends RpcTarget { get ["$a"]() { return new Map(input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")); } }
export class A extends WorkerEntrypoint {
  ["$A"]() { return { ["$"]: new Map(input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")), ok: 1 }; }
  get ["$a"]() { return { ["$"]: new Map(input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")) }; }
}