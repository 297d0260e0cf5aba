import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  async ["$"](target) { return await target["_"](); }
}