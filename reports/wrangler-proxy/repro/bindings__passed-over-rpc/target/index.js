import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class B extends WorkerEntrypoint {
  ["A"](x) { return { x, props: this.ctx.props, tag: "$" }; }
  get ["_"]() { return "$"; }
  fetch(request) { return new Response("$" + new URL(request.url).pathname); }
}