import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
function mutateDeep(v, seen = new Set()) {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  for (const k of Object.keys(v)) mutateDeep(v[k], seen);
  if (Array.isArray(v)) v.push("added by the other side"); else v.addedByTheOtherSide = true;
}
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           const afterCalleeMutation = made.ok ? structuredClone(made.value) : null;
           if (made.ok) mutateDeep(made.value);
           const kept = await observe(() => env.S.readKept());
           return respond({ made: { ok: made.ok, error: made.error }, mutated, afterCalleeMutation, kept });
  },
};