import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
const handler = Object.create({ ["_"](x) { return "prototype"; } });
Object.assign(handler, {
  fetch(request, env, ctx) { return new Response("object fetch " + request.method + " " + env.V); },
  ["A"](x, env, ctx) { return { x, v: env.V, props: ctx.props, self: this === handler, count: arguments.length }; },
  ["_a"]: 5,
});
export default handler;