import { WorkerEntrypoint } from "cloudflare:workers";
import { observe, respond } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["_"]() { return "self:A"; }
}
export default {
  async fetch(request, env, ctx) {
    if (request.headers.has("x-self")) return new Response("default:" + request.headers.get("x-self"));
    const named = [];
    for (const b of ["B0"]) named.push(await observe(() => env[b]["_"]()));
    const viaDefault = await observe(async () => (await env.SELF.fetch("https://self.example/", { headers: { "x-self": "a" } })).text());
    return respond({ named, viaDefault });
  },
};