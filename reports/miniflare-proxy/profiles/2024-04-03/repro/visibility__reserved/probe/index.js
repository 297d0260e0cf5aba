import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ names: { ["webSocketClose"]: { call: await observe(() => env.S["webSocketClose"]()), read: await observe(async () => await env.S["webSocketClose"]) } }, calls: await observe(() => env.S["$"]()) });
  },
};