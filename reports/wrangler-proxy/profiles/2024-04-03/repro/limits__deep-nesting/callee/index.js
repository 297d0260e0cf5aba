import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function nest(depth, shape) {
  let v = "bottom";
  for (let i = 0; i < depth; i++) v = shape === "array" ? [v] : { inner: v };
  return v;
}
function depthOf(v) {
  let depth = 0;
  while (v !== null && typeof v === "object") { v = Array.isArray(v) ? v[0] : v.inner; depth++; }
  return v === "bottom" ? depth : -1;
}
export class A extends WorkerEntrypoint {
  measure(value) { return depthOf(value); }
  make(depth, shape) { return nest(depth, shape); }
}