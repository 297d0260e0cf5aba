import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
import { waitUntil } from "cloudflare:workers";
const finished = [];
export class A extends WorkerEntrypoint {
  ["a"](delays) {
    delays.forEach((delay, i) => waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => { finished.push(i); })));
    return { returned: true, finishedAtReturn: finished.length };
  }
  finished() { return { finished, value: finished.length === 1 ? input("\"\\ud800\"") : null }; }
}