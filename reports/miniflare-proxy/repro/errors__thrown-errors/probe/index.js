import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const result = await observe(() => env.S["$"]());
           const stack = result.ok ? "" : String(result.error?.stack);
           return respond({ result, stackShowsCallee: stack.includes("calleeFrameA") });
  },
};