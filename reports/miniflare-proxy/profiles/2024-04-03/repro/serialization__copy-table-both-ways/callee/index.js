import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function mutateAll(v, seen = new Set()) {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  if (v instanceof ArrayBuffer) return new Uint8Array(v).fill(0xab);
  if (ArrayBuffer.isView(v)) return mutateAll(v.buffer, seen);
  if (v instanceof Date) return v.setTime(12345);
  if (v instanceof RegExp) { v.lastIndex = 7; return; }
  if (v instanceof Error) { v.message = "mutated"; return; }
  if (v instanceof Map) { const entries = [...v]; v.set("added by the other side", 1); for (const [k, x] of entries) { mutateAll(k, seen); mutateAll(x, seen); } return; }
  if (v instanceof Set) { const values = [...v]; v.add("added by the other side"); for (const x of values) mutateAll(x, seen); return; }
  if (Array.isArray(v)) { const items = [...v]; v.push("added by the other side"); for (const x of items) mutateAll(x, seen); return; }
  if (Object.getPrototypeOf(v) !== Object.prototype) return; // boxed primitives
  for (const k of Object.keys(v)) mutateAll(v[k], seen);
  v.addedByTheOtherSide = true;
}
let kept;
export class A extends WorkerEntrypoint {
  mutateArgument(v) { mutateAll(v); return "mutated"; }
  make() { kept = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"inner\",{\"$\":\"typedarray\",\"id\":2,\"type\":\"Int8Array\",\"buffer\":{\"$\":\"arraybuffer\",\"id\":3,\"base64\":\"\"},\"byteOffset\":0,\"length\":0}],[\"self\",{\"$\":\"ref\",\"id\":1}]]}"); return kept; }
  mutateKept() { mutateAll(kept); return "mutated"; }
}