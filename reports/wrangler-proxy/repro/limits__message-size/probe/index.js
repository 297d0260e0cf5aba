import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
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
           const result = await observe(() => env.S.give("ArrayBuffer", 33550328).then((value) => payloadBytes(value)));
           return respond({ result, remote: result.ok ? undefined : result.error?.remote });
  },
};