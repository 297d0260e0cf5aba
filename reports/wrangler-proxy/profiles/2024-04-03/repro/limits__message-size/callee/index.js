import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function makePayload(kind, bytes) {
  switch (kind) {
    case "ArrayBuffer": return [new ArrayBuffer(bytes)];
    case "Uint8Array": return [new Uint8Array(bytes)];
    case "Float64Array": return [new Float64Array(bytes / 8)];
    case "two-views": return [new Uint8Array(bytes / 2), { nested: new Uint16Array(bytes / 4) }];
  }
}
function payloadBytes(value) {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value !== null && typeof value === "object") return Object.values(value).reduce((sum, v) => sum + payloadBytes(v), 0);
  return 0;
}
export class A extends WorkerEntrypoint {
  take(...args) { return payloadBytes(args); }
  give(kind, bytes) { return makePayload(kind, bytes); }
}