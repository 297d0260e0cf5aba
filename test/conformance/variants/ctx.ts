/** Broken variants of `ctx` (reference/context.ts) and the tests of conformance/tests/ctx.ts they must fail. */
import { CONTEXT_SEAMS } from "../../../reference/context.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "ctx-without-waituntil",
    breaks: ["CTX-PRESENT"],
    description: "ctx has no waitUntil method.",
    mustFail: ["ctx/present"],
    seams: [override(CONTEXT_SEAMS, { executionContextClass: (original) => (realm) => withoutMethod(original(realm), "waitUntil") })],
  },
  {
    name: "ctx-without-passthrough",
    breaks: ["CTX-PASSTHROUGH"],
    description: "ctx has no passThroughOnException method.",
    mustFail: ["ctx/per-call"],
    seams: [override(CONTEXT_SEAMS, { executionContextClass: (original) => (realm) => withoutMethod(original(realm), "passThroughOnException") })],
  },
  {
    name: "waituntil-reject-cancels",
    breaks: ["CTX-WAITUNTIL-INDEPENDENT"],
    description: "when a waitUntil promise rejects, every timer of the worker is cleared, cancelling the other waitUntil work.",
    mustFail: ["ctx/wait-until-independent"],
    seams: [
      override(CONTEXT_SEAMS, {
        executionContextClass: (original) => (realm) => {
          const ExecutionContext = original(realm);
          const waitUntil = ExecutionContext.prototype.waitUntil as (this: object, promise: unknown) => void;
          ExecutionContext.prototype.waitUntil = function (this: object, promise: unknown) {
            waitUntil.call(this, promise);
            Promise.resolve(promise).catch(() => realm.clearTimersFrom(0));
          };
          return ExecutionContext;
        },
      }),
    ],
  },
];

function withoutMethod<C extends { prototype: object }>(cls: C, name: string): C {
  delete (cls.prototype as Record<string, unknown>)[name];
  return cls;
}
