import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
function sameString(s, seed, repeats) {
  return typeof s === "string" && s.length === seed.length * repeats && s.startsWith(seed) && s.endsWith(seed) && s.slice(seed.length * (repeats >> 1), seed.length * ((repeats >> 1) + 1)) === seed;
}
           const result = await observe(() => env.S.take("Ā".repeat(16777217)));
           return respond({ result, remote: result.ok ? undefined : result.error?.remote });
  },
};