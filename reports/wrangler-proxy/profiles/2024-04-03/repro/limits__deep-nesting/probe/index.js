import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
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
           const argument = await observe(() => env.S.measure(nest(1, "array")));
           const result = await observe(() => env.S.make(1, "array").then(depthOf));
           return respond({ argument, result });
  },
};