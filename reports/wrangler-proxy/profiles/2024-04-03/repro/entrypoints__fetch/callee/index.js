import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  fetch(request) {
    return new Response(JSON.stringify({ isRequest: request instanceof Request, method: request.method, url: request.url, header: request.headers.get("x-probe") }), { status: 200 });
  }
}