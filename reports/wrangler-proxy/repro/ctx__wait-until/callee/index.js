import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
const finished = [];
export class A extends WorkerEntrypoint {
  start(delays) {
    delays.forEach((delay, i) => this.ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => { finished.push(i); })));
    return "returned";
  }
  finished() { return { finished, value: finished.length === 1 ? input("\"\\ud800\"") : null }; }
}