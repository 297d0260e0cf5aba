/** Broken variants of env (reference/runtime.ts, rpc/dispatcher.ts) and the tests of conformance/tests/env.ts they must fail. */
import { types } from "node:util";
import { DISPATCH_SEAMS } from "../../../reference/rpc/dispatcher.ts";
import { RUNTIME_SEAMS } from "../../../reference/runtime.ts";
import type { LoadedWorker } from "../../../reference/loading/worker.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "json-vars-as-strings",
    breaks: ["ENV-VARS"],
    description: "non-string [vars] are delivered as their JSON text instead of the parsed value.",
    mustFail: ["env/vars"],
    seams: [override(RUNTIME_SEAMS, { envVar: (original) => (copier, realm, value) => (typeof value === "string" ? original(copier, realm, value) : JSON.stringify(value)) })],
  },
  {
    name: "imported-env-empty",
    breaks: ["ENV-IMPORTED"],
    description: "the env exported by cloudflare:workers is an empty object instead of the worker's bindings.",
    mustFail: ["env/imported"],
    seams: [override(RUNTIME_SEAMS, { importedEnv: () => (realm) => () => new realm.intrinsics.Object() })],
  },
  {
    name: "callee-sees-caller-env",
    breaks: ["ENV-CALLEE-OWN"],
    description: "the callee entrypoint is constructed with the caller's env instead of its own.",
    mustFail: ["env/callee-own"],
    seams: [override(DISPATCH_SEAMS, { calleeEnv: () => (_worker, caller) => caller.env })],
  },
  {
    name: "callee-env-without-services",
    breaks: ["ENV-SERVICE-BINDINGS"],
    description: "only the worker receiving HTTP requests gets service bindings in env; workers reached over RPC get vars only.",
    mustFail: ["env/service-bindings"],
    seams: [
      override(DISPATCH_SEAMS, {
        calleeEnv: (original) => {
          const varsOnly = new WeakMap<LoadedWorker, object>();
          return (worker, caller) => {
            if (!varsOnly.has(worker)) {
              // Service bindings are proxies; vars are plain copies.
              const env = original(worker, caller) as Record<string, unknown>;
              const copy = new worker.realm.intrinsics.Object() as Record<string, unknown>;
              for (const [name, value] of Object.entries(env)) if (!types.isProxy(value)) copy[name] = value;
              varsOnly.set(worker, copy);
            }
            return varsOnly.get(worker)!;
          };
        },
      }),
    ],
  },
  {
    name: "env-per-call",
    breaks: ["ENV-SAME-OBJECT"],
    description: "every call into a worker over a binding gets a fresh copy of the worker's env object.",
    mustFail: ["env/same-object"],
    seams: [
      override(DISPATCH_SEAMS, {
        calleeEnv: (original) => (worker, caller) => {
          const env = original(worker, caller);
          return Object.create(Object.getPrototypeOf(env) as object | null, Object.getOwnPropertyDescriptors(env)) as object;
        },
      }),
    ],
  },
];
