/**
 * The `cloudflare:workers` module as the reference provides it.
 *
 * It is evaluated inside each worker's realm, so `WorkerEntrypoint.prototype` belongs to that
 * worker: user classes extend it, and the dispatcher stops its prototype walk there (nothing
 * inherited from the base class is callable over RPC).
 */
import type { WorkerRealm } from "./realm.ts";

const WORKERS_MODULE_SOURCE = `((waitUntilHook, requireContext, envHook, wrapHook, anyArguments) => {
  "use strict";
  // The constructor stores ctx and env as own properties: that is what makes them unreachable
  // over RPC (own instance properties are never exposed). ENTRY-INSTANCEOF: user code may
  // construct an entrypoint itself with any two objects; the instance is an ordinary object.
  class WorkerEntrypoint {
    constructor(ctx, env) {
      if (requireContext && typeof ctx?.waitUntil !== "function") throw new TypeError("WorkerEntrypoint needs the runtime's ctx"); // fault entrypoint-needs-runtime-ctx (ENTRY-INSTANCEOF)
      // ENTRY-INSTANCEOF: ctx and env must be objects (functions count), as workerd checks them.
      if (!anyArguments) {
        // fault entrypoint-takes-anything (ENTRY-INSTANCEOF)
        [ctx, env].forEach((value, i) => {
          if ((typeof value !== "object" && typeof value !== "function") || value === null) {
            throw new TypeError("Failed to construct 'WorkerEntrypoint': constructor parameter " + (i + 1) + " is not of type 'Object'.");
          }
        });
      }
      this.ctx = ctx;
      this.env = env;
    }
  }
  // Marks classes whose instances cross by reference, as stubs (stubs.ts, STUB-RPCTARGET).
  class RpcTarget {}
  // STUB-RPCSTUB-WRAP: \`new RpcStub(value)\` gives a stub of a local value (made by stubs.ts).
  class RpcStub {
    constructor(value) {
      return wrapHook(value);
    }
  }
  // The module-level waitUntil: extends the scenario's lifetime like ctx.waitUntil does.
  function waitUntil(promise) {
    waitUntilHook(promise);
  }
  // ENV-IMPORTED: the worker's env, read when used (bindings are wired after the module loads).
  return Object.freeze({ __proto__: null, WorkerEntrypoint, RpcTarget, RpcStub, waitUntil, get env() { return envHook(); } });
})`;

/** What `import ... from "cloudflare:workers"` yields inside one worker. */
export interface WorkersModule {
  readonly WorkerEntrypoint: abstract new (ctx: unknown, env: unknown) => object;
  readonly RpcTarget: abstract new () => object;
  readonly RpcStub: new (value: unknown) => object;
  readonly waitUntil: (promise: unknown) => void;
  readonly env: object;
}

/** The built-in modules a worker may import, by specifier. */
export const BUILTIN_MODULES = ["cloudflare:workers"] as const;

/**
 * `env` gives the worker's current env object (ENV-IMPORTED). `wrap` makes the stub
 * `new RpcStub(value)` returns (STUB-RPCSTUB-WRAP). `requireContext` is fault
 * `entrypoint-needs-runtime-ctx` only, `anyArguments` fault `entrypoint-takes-anything` only.
 */
export function createWorkersModule(
  realm: WorkerRealm,
  waitUntil: (promise: unknown) => void,
  env: () => object,
  requireContext = false,
  wrap: (value: unknown) => object = unavailableRpcStub,
  anyArguments = false,
): WorkersModule {
  const define = realm.evaluate(WORKERS_MODULE_SOURCE, "cloudflare:workers") as (
    hook: (promise: unknown) => void,
    requireContext: boolean,
    env: () => object,
    wrap: (value: unknown) => object,
    anyArguments: boolean,
  ) => WorkersModule;
  return define(waitUntil, requireContext, env, wrap, anyArguments);
}

/** Where no stub broker is wired (unit tests of single modules). */
function unavailableRpcStub(): never {
  throw new TypeError("RpcStub is not available outside a running scenario");
}

/** True for a class that extends this realm's WorkerEntrypoint (directly or not). */
export function isEntrypointClass(module: WorkersModule, value: unknown): value is new (ctx: unknown, env: unknown) => object {
  return typeof value === "function" && value.prototype instanceof module.WorkerEntrypoint;
}
