import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function plant(value, bad) {
  const marker = "\u0000planted here\u0000";
  if (value === marker) return bad;
  if (value instanceof Map) { for (const [k, v] of value) value.set(k, plant(v, bad)); return value; }
  if (value !== null && typeof value === "object") for (const k of Object.keys(value)) value[k] = plant(value[k], bad);
  return value;
}
function makeBody(spec) {
  switch (spec.kind) {
    case "request": return new Request("https://example.com/", { method: spec.method, body: spec.text });
    case "response": return new Response(spec.text);
    default: return new Response(spec.text).body;
  }
}
async function spoil(v, state) {
  const stream = v instanceof ReadableStream ? v : v.body;
  if (state === "read" && stream === v) { const reader = stream.getReader(); while (!(await reader.read()).done); }
  if (state === "read" && stream !== v) await v.text();
  if (state === "locked") stream.getReader();
}
function findBody(v) {
  if (v instanceof Request || v instanceof Response || v instanceof ReadableStream) return v;
  if (v instanceof Map) v = [...v.values()];
  if (v !== null && typeof v === "object") for (const x of Object.values(v)) { const found = findBody(x); if (found) return found; }
  return undefined;
}
function readBody(v) { return v instanceof ReadableStream ? new Response(v).text() : v.text(); }
function senderView(v) { return v instanceof ReadableStream ? { locked: v.locked } : { bodyUsed: v.bodyUsed, locked: v.body.locked }; }
let kept;
export class A extends WorkerEntrypoint {
  async take(value) { return readBody(findBody(value)); }
  async give(spec, state) { kept = makeBody(spec); if (state !== "sent-before") await spoil(kept, state); return plant(input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"map\",\"id\":2,\"entries\":[[\"\",{\"$\":\"map\",\"id\":3,\"entries\":[[\"\",\"\\u0000planted here\\u0000\"]]}]]}]]}"), kept); }
  giveAgain() { return plant(input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"map\",\"id\":2,\"entries\":[[\"\",{\"$\":\"map\",\"id\":3,\"entries\":[[\"\",\"\\u0000planted here\\u0000\"]]}]]}]]}"), kept); }
  senderView() { return senderView(kept); }
}