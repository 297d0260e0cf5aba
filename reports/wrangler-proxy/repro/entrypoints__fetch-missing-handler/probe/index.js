import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const fetched = await observe(async () => { const r = await env.S.fetch("https://callee.example/", { method: "GET" }); return { status: r.status }; });
           const called = await observe(() => env.S["a"]());
           return respond({ fetched, called });
  },
};