/** Broken variants of the callee side (reference/rpc/dispatcher.ts) and the tests of conformance/tests/entrypoints.ts they must fail. */
import { DISPATCH_SEAMS, type EntrypointClass } from "../../../reference/rpc/dispatcher.ts";
import { BINDING_SEAMS } from "../../../reference/rpc/binding.ts";
import { WORKERS_MODULE_SEAMS } from "../../../reference/loading/workers-module.ts";
import { RUNTIME_SEAMS } from "../../../reference/runtime.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "class-exports-not-entrypoints",
    breaks: ["ENTRY-CLASS-EXPORT"],
    description: "named class exports are not treated as entrypoints; every RPC call to a named export rejects as not implemented.",
    mustFail: ["entrypoints/public-methods"],
    seams: [override(DISPATCH_SEAMS, { exposesMembers: () => (exportName) => exportName === "default" })],
  },
  {
    name: "constructor-result-ignored",
    breaks: ["ENTRY-CONSTRUCTOR-RESULT"],
    description: "names are looked up on the entrypoint class's prototype even when its constructor returned another object (the receiver).",
    mustFail: ["entrypoints/constructor-result"],
    seams: [override(DISPATCH_SEAMS, { receiverPrototype: () => (Class) => Class.prototype })],
  },
  {
    name: "append-env-ctx",
    breaks: ["ENTRY-ARGUMENTS"],
    description: "methods are invoked with (...args, env, ctx) instead of exactly the caller's arguments.",
    mustFail: ["entrypoints/arguments"],
    seams: [override(DISPATCH_SEAMS, { invoke: () => (fn, instance, args, env, ctx) => fn.call(instance, ...args, env, ctx) })],
  },
  {
    name: "reuse-instance",
    breaks: ["ENTRY-NEW-INSTANCE", "ENTRY-STATELESS"],
    description: "one instance per (worker, entrypoint) is constructed on the first call and reused.",
    mustFail: ["entrypoints/new-instance", "entrypoints/stateless"],
    seams: [
      override(DISPATCH_SEAMS, {
        instantiate: (original) => {
          const made = new WeakMap<EntrypointClass, Record<string, unknown>>();
          return (Class, ctx, env) => {
            if (!made.has(Class)) made.set(Class, original(Class, ctx, env));
            return made.get(Class)!;
          };
        },
      }),
    ],
  },
  {
    name: "constructor-args-swapped",
    breaks: ["ENTRY-CONSTRUCTOR"],
    description: "the entrypoint class is constructed with (env, ctx) instead of (ctx, env).",
    mustFail: ["entrypoints/constructor"],
    seams: [override(DISPATCH_SEAMS, { instantiate: (original) => (Class, ctx, env) => original(Class, env, ctx) })],
  },
  {
    name: "missing-fetch-resolves-404",
    breaks: ["ENTRY-FETCH-MISSING-HANDLER"],
    description: "fetch() to an entrypoint without a fetch handler resolves to an empty 404 Response instead of rejecting.",
    mustFail: ["entrypoints/fetch-missing-handler"],
    seams: [override(DISPATCH_SEAMS, { fetchHandlerMissing: () => () => new Response(null, { status: 404 }) })],
  },
  {
    name: "thenable-result-as-object",
    breaks: ["ENTRY-RETURNED-THENABLE"],
    description: "a method's custom (non-Promise) thenable result is sent as a plain copy of its data properties instead of being awaited.",
    mustFail: ["entrypoints/returned-thenable"],
    seams: [override(DISPATCH_SEAMS, { awaitThenable: () => (result) => ({ ...result, then: undefined }) })],
  },
  {
    name: "entrypoint-needs-runtime-ctx",
    breaks: ["ENTRY-INSTANCEOF"],
    description: "WorkerEntrypoint's constructor throws unless its ctx has a waitUntil method, so user code cannot construct an entrypoint with its own objects.",
    mustFail: ["entrypoints/instanceof"],
    seams: [
      override(WORKERS_MODULE_SEAMS, {
        entrypointArgumentsRefusal: (original) => (ctx, env) =>
          typeof (ctx as { waitUntil?: unknown } | null | undefined)?.waitUntil !== "function" ? "WorkerEntrypoint needs the runtime's ctx" : original(ctx, env),
      }),
    ],
  },
  {
    name: "entrypoint-takes-anything",
    breaks: ["ENTRY-INSTANCEOF"],
    description: "WorkerEntrypoint's constructor accepts any ctx and env (none, primitives) instead of refusing a non-object with workerd's TypeError.",
    mustFail: ["entrypoints/instanceof"],
    seams: [override(WORKERS_MODULE_SEAMS, { entrypointArgumentsRefusal: () => () => undefined })],
  },
  {
    name: "entrypoint-untagged",
    breaks: ["ENTRY-STRING-TAG"],
    description: "WorkerEntrypoint and RpcTarget carry no Symbol.toStringTag, whatever the compatibility settings.",
    mustFail: ["entrypoints/string-tag"],
    seams: [
      override(RUNTIME_SEAMS, {
        tagWorkersClasses: (original) => (realm, module) => {
          original(realm, module);
          for (const { prototype } of [module.WorkerEntrypoint, module.RpcTarget]) delete (prototype as Record<symbol, unknown>)[Symbol.toStringTag];
        },
      }),
    ],
  },
  {
    name: "sync-result-not-thenable",
    breaks: ["ENTRY-SYNC-ASYNC"],
    description: "a call runs at once, inside the caller's expression, and a synchronous method's result comes back as the plain copied value instead of a thenable.",
    mustFail: ["entrypoints/public-methods"],
    seams: [
      override(BINDING_SEAMS, {
        schedule: () => (start) => start(),
        // Run at once, a synchronous method's result has been copied by the time the call returns.
        callResult: (original) => (realm, promise, pipeline, arrived) => (arrived.delivered ? arrived.copy : original(realm, promise, pipeline, arrived)),
      }),
    ],
  },
  {
    name: "fetch-as-rpc",
    breaks: ["ENTRY-FETCH"],
    description: "env.SVC.fetch(input, init) hands the target's fetch handler its first argument as it is; no Request is built.",
    mustFail: ["entrypoints/fetch"],
    seams: [override(BINDING_SEAMS, { newRequest: () => (input) => input as Request })],
  },
];
