import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const started = await observe(() => env.S.start([1]));
           // Poll for the waitUntil work; give up after about 1 s (the work takes at most 30 ms) so a runtime that dropped it fails instead of hanging.
           let last;
           for (let i = 0; i < 50; i++) {
             last = await observe(() => env.S.finished());
             if (!last.ok || last.value.finished.length === 1) break;
             await new Promise((resolve) => setTimeout(resolve, 20));
           }
           return respond({ started, last });
  },
};