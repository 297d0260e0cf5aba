/**
 * The `cloudflare:workers` module as the reference provides it.
 *
 * It is evaluated inside each worker's realm, so `WorkerEntrypoint.prototype` belongs to that
 * worker: user classes extend it, and the dispatcher stops its prototype walk there (nothing
 * inherited from the base class is callable over RPC).
 */
import type { WorkerRealm } from "./realm.ts";
import { seams } from "../seams.ts";

const WORKERS_MODULE_SOURCE = `((waitUntilHook, envHook, wrapHook, argumentsRefusal) => {
  "use strict";
  // The constructor stores ctx and env as own properties: that is what makes them unreachable
  // over RPC (own instance properties are never exposed). ENTRY-INSTANCEOF: user code may
  // construct an entrypoint itself with any two objects; the instance is an ordinary object.
  class WorkerEntrypoint {
    constructor(ctx, env) {
      const refusal = argumentsRefusal(ctx, env);
      if (refusal !== undefined) throw new TypeError(refusal);
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

/** How the module's classes behave: the steps a broken variant may replace (seams.ts). */
export const WORKERS_MODULE_SEAMS = { entrypointArgumentsRefusal };

/**
 * ENTRY-INSTANCEOF: why WorkerEntrypoint's constructor refuses (ctx, env), as workerd's TypeError
 * message, or undefined: both must be objects (functions count); user code may construct an
 * entrypoint with any two objects of its own.
 */
function entrypointArgumentsRefusal(ctx: unknown, env: unknown): string | undefined {
  const index = [ctx, env].findIndex((value) => (typeof value !== "object" && typeof value !== "function") || value === null);
  return index === -1 ? undefined : `Failed to construct 'WorkerEntrypoint': constructor parameter ${index + 1} is not of type 'Object'.`;
}

/**
 * `env` gives the worker's current env object (ENV-IMPORTED). `wrap` makes the stub
 * `new RpcStub(value)` returns (STUB-RPCSTUB-WRAP).
 */
export function createWorkersModule(
  realm: WorkerRealm,
  waitUntil: (promise: unknown) => void,
  env: () => object,
  wrap: (value: unknown) => object = unavailableRpcStub,
): WorkersModule {
  const define = realm.evaluate(WORKERS_MODULE_SOURCE, "cloudflare:workers") as (
    hook: (promise: unknown) => void,
    env: () => object,
    wrap: (value: unknown) => object,
    argumentsRefusal: (ctx: unknown, env: unknown) => string | undefined,
  ) => WorkersModule;
  return define(waitUntil, env, wrap, seams(realm, WORKERS_MODULE_SEAMS).entrypointArgumentsRefusal);
}

/** Where no stub broker is wired (unit tests of single modules). */
function unavailableRpcStub(): never {
  throw new TypeError("RpcStub is not available outside a running scenario");
}

/** True for a class that extends this realm's WorkerEntrypoint (directly or not). */
export function isEntrypointClass(module: WorkersModule, value: unknown): value is new (ctx: unknown, env: unknown) => object {
  return typeof value === "function" && value.prototype instanceof module.WorkerEntrypoint;
}
