import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
const handler = Object.create({ ["$$"](x) { return "prototype"; } });
Object.assign(handler, {
  fetch(request, env, ctx) { return new Response("object fetch " + request.method + " " + env.V); },
  ["$"](x, env, ctx) { return { x, v: env.V, props: ctx.props, self: this === handler, count: arguments.length }; },
  ["_"]: 5,
});
export default handler;