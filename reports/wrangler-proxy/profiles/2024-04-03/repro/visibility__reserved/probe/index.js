import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ names: { ["webSocketError"]: { call: await observe(() => env.S["webSocketError"]()), read: await observe(async () => await env.S["webSocketError"]) } }, calls: await observe(() => env.S["a"]()) });
  },
};