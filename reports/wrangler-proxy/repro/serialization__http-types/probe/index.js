import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
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
           const spec = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"kind\",\"request\"],[\"url\",\"https://example.com/\"],[\"method\",\"GET\"],[\"headers\",{\"$\":\"array\",\"id\":2,\"length\":0,\"items\":[]}],[\"body\",null]]}");
           const asArgument = await observe(() => env.S.take(make(spec)));
           const asResult = await observe(async () => describe(await env.S.give(spec)));
           return respond({ asArgument, asResult });
  },
};