import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function thenable(timing, body) {
  // A thenable that is not a Promise: an object with a then method.
  return { then(resolve, reject) { if (timing === "timer") setTimeout(() => body(resolve, reject), 5); else body(resolve, reject); } };
}
export class A extends WorkerEntrypoint {
  ["$"]() {
    const levels = ["sync"];
    let body = (resolve, reject) => reject(new Error("."));
    for (let i = levels.length - 1; i > 0; i--) { const inner = thenable(levels[i], body); body = (resolve) => resolve(inner); }
    return thenable(levels[0], body);
  }
}