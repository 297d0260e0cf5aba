import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class Aa extends WorkerEntrypoint {
  ["$$"](x) { return { x, props: this.ctx.props, tag: "A_" }; }
  get ["A"]() { return "A_"; }
  fetch(request) { return new Response("A_" + new URL(request.url).pathname); }
}