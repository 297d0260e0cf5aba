import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(async () => {
             const response = await env.S.fetch("https://callee.example/", { method: "GET", headers: { "x-probe": "" } });
             return { isResponse: response instanceof Response, status: response.status, body: JSON.parse(await response.text()) };
           }));
  },
};