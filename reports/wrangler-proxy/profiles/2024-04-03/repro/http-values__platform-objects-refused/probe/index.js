import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
function plant(value, bad) {
  const marker = "\u0000planted here\u0000";
  if (value === marker) return bad;
  if (value instanceof Map) { for (const [k, v] of value) value.set(k, plant(v, bad)); return value; }
  if (value !== null && typeof value === "object") for (const k of Object.keys(value)) value[k] = plant(value[k], bad);
  return value;
}
const result = await observe(() => env.S.take(plant(input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"\",{\"$\":\"map\",\"id\":3,\"entries\":[[\"\",\"\\u0000planted here\\u0000\"]]}]]}]]}"), new Event("a"))));
return respond({ result, remote: result.ok ? undefined : result.error?.remote });
  },
};