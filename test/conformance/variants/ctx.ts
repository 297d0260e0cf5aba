/** Broken variants of `ctx` and waitUntil (reference/rpc/context.ts, runtime.ts, rpc/dispatcher.ts) and the tests of conformance/tests/ctx.ts they must fail. */
import { CONTEXT_SEAMS } from "../../../reference/rpc/context.ts";
import { DISPATCH_SEAMS, isThenable } from "../../../reference/rpc/dispatcher.ts";
import type { LoadedWorker } from "../../../reference/loading/worker.ts";
import type { WorkerRealm } from "../../../reference/loading/realm.ts";
import { BINDING_SEAMS, createBindingObject } from "../../../reference/rpc/binding.ts";
import { RUNTIME_SEAMS } from "../../../reference/runtime.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

/** drop-waituntil: where each call's ctx was made, and the first timer id the call could start. */
const callsStarted = new WeakMap<object, { realm: WorkerRealm; firstTimer: number }>();

export const VARIANTS: BrokenVariant[] = [
  {
    name: "drop-waituntil",
    breaks: ["CTX-WAITUNTIL"],
    description: "waitUntil ignores its promise, and the timers a method call started are cleared when the call settles.",
    mustFail: ["ctx/wait-until", "ctx/floating-cancelled"],
    seams: [
      override(RUNTIME_SEAMS, { waitUntilFor: () => () => () => {} }),
      override(DISPATCH_SEAMS, {
        callContext: (original) => (worker, props, bindingProps) => {
          const ctx = original(worker, props, bindingProps);
          callsStarted.set(ctx, { realm: worker.realm, firstTimer: worker.realm.nextTimerId });
          return ctx;
        },
        invoke: (original) => (fn, instance, args, env, ctx) => {
          const result = original(fn, instance, args, env, ctx);
          const started = callsStarted.get(ctx);
          if (started === undefined) return result;
          const clear = () => started.realm.clearTimersFrom(started.firstTimer);
          if (!isThenable(result)) {
            clear();
            return result;
          }
          return result.then(
            (value) => (clear(), value),
            (error: unknown) => {
              clear();
              throw error;
            },
          );
        },
      }),
    ],
  },
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
  {
    name: "no-ctx-exports",
    breaks: ["CTX-EXPORTS"],
    description: "ctx.exports is never provided, even when enable_ctx_exports is on.",
    mustFail: ["ctx/exports"],
    seams: [override(RUNTIME_SEAMS, { ctxExportsOn: () => () => false })],
  },
  {
    name: "imported-waituntil-unsupported",
    breaks: ["CTX-WAITUNTIL-IMPORTED"],
    description: "the waitUntil exported by cloudflare:workers throws TypeError instead of keeping work alive.",
    mustFail: ["ctx/wait-until-imported"],
    seams: [
      override(RUNTIME_SEAMS, {
        moduleWaitUntil: () => () => () => {
          throw new TypeError("waitUntil from cloudflare:workers is not supported; use this.ctx.waitUntil");
        },
      }),
    ],
  },
  {
    name: "top-level-waituntil-allowed",
    breaks: ["CTX-WAITUNTIL-TOP-LEVEL"],
    description: "the waitUntil exported by cloudflare:workers accepts work at module top level instead of throwing.",
    mustFail: ["ctx/wait-until-top-level"],
    seams: [override(RUNTIME_SEAMS, { moduleWaitUntil: (original) => (realm, waitUntil) => original(realm, waitUntil, () => false) })],
  },
  {
    name: "drop-props",
    breaks: ["CTX-PROPS"],
    description: "ctx.props is always {}; the binding's props are ignored.",
    mustFail: ["ctx/props"],
    seams: [override(DISPATCH_SEAMS, { callProps: () => (worker) => new worker.realm.intrinsics.Object() })],
  },
  {
    name: "shared-ctx",
    breaks: ["CTX-PER-CALL"],
    description: "one ctx object per binding is reused by every call, so what one call stores on ctx the next call sees.",
    mustFail: ["ctx/per-call"],
    seams: [
      override(DISPATCH_SEAMS, {
        callContext: (original) => {
          const shared = new WeakMap<LoadedWorker, Map<object | undefined, object>>();
          return (worker, props, bindingProps) => {
            const byProps = shared.get(worker) ?? new Map<object | undefined, object>();
            shared.set(worker, byProps);
            if (!byProps.has(bindingProps)) byProps.set(bindingProps, original(worker, props, bindingProps));
            return byProps.get(bindingProps)!;
          };
        },
      }),
    ],
  },
  {
    name: "floating-work-runs",
    breaks: ["CTX-FLOATING-CANCELLED"],
    description: "a method call runs in no scope of its own, so the timers it leaves running (not in waitUntil) keep running after its result is delivered.",
    mustFail: ["ctx/floating-cancelled"],
    seams: [override(BINDING_SEAMS, { callScope: () => () => undefined })],
  },
  {
    name: "hung-calls-stay-pending",
    breaks: ["CTX-HUNG-CANCELLED"],
    description: "no method call is ever watched for a hang, so a result that can never settle leaves the caller's call pending for good.",
    mustFail: ["ctx/hung-cancelled"],
    seams: [override(BINDING_SEAMS, { watchForHang: () => () => () => {} })],
  },
  {
    name: "hung-calls-rejected-as-remote",
    breaks: ["CTX-HUNG-CANCELLED"],
    description: "a hung call is cancelled, but its caller gets the error as if the callee had thrown it (remote: true), not the runtime's own error.",
    mustFail: ["ctx/hung-cancelled"],
    seams: [override(BINDING_SEAMS, { hungError: (original) => (realm) => Object.assign(original(realm), { remote: true }) })],
  },
  {
    name: "loopback-plain-binding",
    breaks: ["CTX-EXPORTS"],
    description: "ctx.exports.X is an ordinary binding object (typeof object, not callable), so ctx.exports.X({ props }) throws instead of giving a binding with those props.",
    mustFail: ["ctx/exports-loopback"],
    seams: [override(RUNTIME_SEAMS, { loopbackBinding: () => (realm, fetcher) => createBindingObject(fetcher, realm) })],
  },
];

function withoutMethod<C extends { prototype: object }>(cls: C, name: string): C {
  delete (cls.prototype as Record<string, unknown>)[name];
  return cls;
}
