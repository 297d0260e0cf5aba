import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function make(spec) {
  const parts = spec.parts.map((p) => (p.text !== undefined ? p.text : new Uint8Array(p.bytes)));
  return spec.file ? new File(parts, spec.name, { type: spec.type }) : new Blob(parts, { type: spec.type });
}
async function describe(v) {
  return { isBlob: v instanceof Blob, isFile: v instanceof File, type: v.type, bytes: [...new Uint8Array(await v.arrayBuffer())] };
}
export class A extends WorkerEntrypoint {
  take(value) { return describe(value); }
  give(spec) { return make(spec); }
}