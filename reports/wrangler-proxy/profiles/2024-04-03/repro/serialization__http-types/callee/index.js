import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function make(spec) {
  switch (spec.kind) {
    case "headers": return new Headers(spec.headers);
    case "request": return new Request(spec.url, { method: spec.method, headers: spec.headers, body: spec.body });
    case "response": return new Response(spec.body, { status: spec.status, statusText: spec.statusText, headers: spec.headers });
    case "stream": return new ReadableStream({ type: "bytes", start(c) { for (const chunk of spec.chunks) c.enqueue(new Uint8Array(chunk)); c.close(); } });
  }
}
async function describe(v) {
  if (v instanceof Headers) return { type: "Headers", headers: [...v] };
  if (v instanceof Request) return { type: "Request", method: v.method, url: v.url, headers: [...v.headers], body: v.body ? await v.text() : null };
  if (v instanceof Response) return { type: "Response", status: v.status, statusText: v.statusText, headers: [...v.headers], body: await v.text() };
  if (v instanceof ReadableStream) {
    const bytes = [];
    const reader = v.getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) break; bytes.push(...value); }
    return { type: "ReadableStream", bytes };
  }
  return { type: "something else", tag: Object.prototype.toString.call(v) };
}
export class A extends WorkerEntrypoint {
  take(value) { return describe(value); }
  give(spec) { return make(spec); }
}