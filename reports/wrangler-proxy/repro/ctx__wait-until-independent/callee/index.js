import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
const finished = [];
export class A extends WorkerEntrypoint {
  start(tasks) {
    tasks.forEach(({ delay, rejects }, i) => this.ctx.waitUntil(new Promise((resolve, reject) => setTimeout(() => {
      if (rejects) reject(new Error("task " + i + " failed"));
      else { finished.push(i); resolve(); }
    }, delay))));
    return input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"\",\"\\ud800\"]]}]]}");
  }
  finished() { return finished; }
}