import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const started = await observe(() => env.S.start([{"delay":0,"rejects":true},{"delay":0,"rejects":false}]));
           // Poll for the tasks that resolve; give up after about 1 s (every delay is at most 30 ms).
           let last;
           for (let i = 0; i < 50; i++) {
             last = await observe(() => env.S.finished());
             if (!last.ok || last.value.length === 1) break;
             await new Promise((resolve) => setTimeout(resolve, 20));
           }
           // Give a runtime that cancels late work time to show it, then read once more.
           await new Promise((resolve) => setTimeout(resolve, 40));
           return respond({ started, last: await observe(() => env.S.finished()) });
  },
};