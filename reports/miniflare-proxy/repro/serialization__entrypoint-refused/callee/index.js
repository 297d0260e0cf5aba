import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function plant(value, bad) {
  const marker = "\u0000planted here\u0000";
  if (value === marker) return bad;
  if (value instanceof Map) { for (const [k, v] of value) value.set(k, plant(v, bad)); return value; }
  if (value !== null && typeof value === "object") for (const k of Object.keys(value)) value[k] = plant(value[k], bad);
  return value;
}
class AA extends WorkerEntrypoint { m() { return 1; } }
export class A extends WorkerEntrypoint {
  take(value) { return "received"; }
  give() { return plant(input("\"\\u0000planted here\\u0000\""), this); }
}