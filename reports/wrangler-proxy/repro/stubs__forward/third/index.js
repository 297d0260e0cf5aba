import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class Third extends WorkerEntrypoint {
  async ["$"](stub) {
    const seen = [];
    for (let i = 0; i < 1; i++) seen.push(await stub["aa"]());
    return { seen };
  }
}