import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
import { WorkerEntrypoint } from "cloudflare:workers";
function plant(value, bad) {
  const marker = "\u0000planted here\u0000";
  if (value === marker) return bad;
  if (value instanceof Map) { for (const [k, v] of value) value.set(k, plant(v, bad)); return value; }
  if (value !== null && typeof value === "object") for (const k of Object.keys(value)) value[k] = plant(value[k], bad);
  return value;
}
class A0 extends WorkerEntrypoint { m() { return 1; } }
export default {
  async fetch(request, env, ctx) {
    try {
const result = await observe(() => env.S.take(plant(input("\"\\u0000planted here\\u0000\""), new A0(ctx, env))));
return respond({ result, remote: result.ok ? undefined : result.error?.remote });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};