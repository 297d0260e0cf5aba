import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
const finished = [];
export class A extends WorkerEntrypoint {
  start(tasks) {
    tasks.forEach(({ delay, rejects }, i) => this.ctx.waitUntil(new Promise((resolve, reject) => setTimeout(() => {
      if (rejects) reject(new Error("task " + i + " failed"));
      else { finished.push(i); resolve(); }
    }, delay))));
    return input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":2,\"props\":[[\"\",\"\\ud800\"]]}]}");
  }
  finished() { return finished; }
}