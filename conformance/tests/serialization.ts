/** Conformance tests for spec/serialization.md (the by-value basics). */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../define.ts";
import { probeWorker } from "../scenario.ts";
import { className, memberName } from "../arbitraries/names.ts";
import { jsonLikeContainer, jsonLikeValue } from "../arbitraries/values.ts";
import { calleeModules, expectValue, lit, valueExpr } from "./support.ts";

/** Source of a function that mutates every container in a value graph, in place. */
const MUTATE_DEEP = `function mutateDeep(v, seen = new Set()) {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  for (const k of Object.keys(v)) mutateDeep(v[k], seen);
  if (Array.isArray(v)) v.push("added by the other side"); else v.addedByTheOtherSide = true;
}`;

defineTest({
  id: "serialization/basic-values",
  title: "JSON-like values (unicode strings, numbers incl. -0, booleans, null, arrays, objects) arrive equal, both ways",
  requirements: ["SER-BASIC-VALUES"],
  arbitrary: fc.record({ cls: className, method: memberName, value: jsonLikeValue }),
  scenario({ cls, method, value }) {
    return {
      workers: [
        {
          name: "callee",
          modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}](received) { return { received, sent: ${valueExpr(value)} }; }\n}`),
        },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(method)}](${valueExpr(value)})));`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ value }, observed) {
    const o = expectValue(observed, "round trip") as { received: unknown; sent: unknown };
    expect(o.received, "the argument as the callee received it").to.deep.equal(value);
    expect(o.sent, "the result as the caller received it").to.deep.equal(value);
  },
});

defineTest({
  id: "serialization/copy-arguments",
  title: "arguments are copied: the callee mutating them does not change the caller's value",
  requirements: ["SER-COPY-ARGS"],
  arbitrary: fc.record({ cls: className, method: memberName, value: jsonLikeContainer }),
  scenario({ cls, method, value }) {
    return {
      workers: [
        { name: "callee", modules: calleeModules(`${MUTATE_DEEP}\nexport class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}](v) { mutateDeep(v); return "mutated"; }\n}`) },
        probeWorker(
          "probe",
          `const mine = ${valueExpr(value)};
           const call = await observe(() => env.S[${lit(method)}](mine));
           return respond({ call, mine });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ value }, observed) {
    const o = observed as { call: unknown; mine: unknown };
    expect(expectValue(o.call, "call"), "the callee ran").to.equal("mutated");
    expect(o.mine, "the caller's argument after the callee mutated its copy").to.deep.equal(value);
  },
});

defineTest({
  id: "serialization/copy-result",
  title: "results are copied: later mutations on either side do not reach the other",
  requirements: ["SER-COPY-RESULT"],
  arbitrary: fc.record({ cls: className, value: jsonLikeContainer }),
  scenario({ cls, value }) {
    const source = `${MUTATE_DEEP}
let kept;
export class ${cls} extends WorkerEntrypoint {
  make() { kept = ${valueExpr(value)}; return kept; }
  mutateKept() { mutateDeep(kept); return "mutated"; }
  readKept() { return kept; }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `${MUTATE_DEEP}
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           const afterCalleeMutation = made.ok ? structuredClone(made.value) : null;
           if (made.ok) mutateDeep(made.value);
           const kept = await observe(() => env.S.readKept());
           return respond({ made: { ok: made.ok, error: made.error }, mutated, afterCalleeMutation, kept });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ value }, observed) {
    const o = observed as { made: { ok: boolean; error?: unknown }; mutated: unknown; afterCalleeMutation: unknown; kept: unknown };
    if (!o.made.ok) expectValue(o.made, "make()");
    expect(expectValue(o.mutated, "mutateKept()")).to.equal("mutated");
    expect(o.afterCalleeMutation, "the caller's result after the callee mutated its own copy").to.deep.equal(value);
    const kept = expectValue(o.kept, "readKept()");
    // The callee's copy carries the callee's own mutation but none of the caller's.
    const calleeView = structuredClone(value);
    mutateLocally(calleeView);
    expect(kept, "the callee's value after the caller mutated its result").to.deep.equal(calleeView);
  },
});

function mutateLocally(v: unknown, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  for (const k of Object.keys(v)) mutateLocally((v as Record<string, unknown>)[k], seen);
  if (Array.isArray(v)) v.push("added by the other side");
  else (v as Record<string, unknown>).addedByTheOtherSide = true;
}
