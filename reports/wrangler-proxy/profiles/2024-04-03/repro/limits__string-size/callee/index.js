import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function sameString(s, seed, repeats) {
  return typeof s === "string" && s.length === seed.length * repeats && s.startsWith(seed) && s.endsWith(seed) && s.slice(seed.length * (repeats >> 1), seed.length * ((repeats >> 1) + 1)) === seed;
}
export class A extends WorkerEntrypoint {
  take(s) { return sameString(s, "\u0000", 33550335); }
  give() { return "\u0000".repeat(33550335); }
}