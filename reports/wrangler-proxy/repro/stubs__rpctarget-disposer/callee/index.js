import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  async ["a"](target) {
    const stubs = [target];
    for (let i = 0; i < 0; i++) stubs.push(target.dup());
    const seen = [];
    for (let i = 0; i < stubs.length - 1; i++) {
      stubs[i][Symbol.dispose]();
      seen.push(await stubs[i + 1]["aa"]());
    }
    stubs[stubs.length - 1][Symbol.dispose]();
    return { seen };
  }
}