/**
 * The `cloudflare:workers` module as the reference provides it.
 *
 * It is evaluated inside each worker's realm, so `WorkerEntrypoint.prototype` belongs to that
 * worker: user classes extend it, and the dispatcher stops its prototype walk there (nothing
 * inherited from the base class is callable over RPC).
 */
import type { WorkerRealm } from "./realm.ts";

const WORKERS_MODULE_SOURCE = `((waitUntilHook) => {
  "use strict";
  // The constructor stores ctx and env as own properties: that is what makes them unreachable
  // over RPC (own instance properties are never exposed).
  class WorkerEntrypoint {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }
  // Marks classes whose instances cross by reference, as stubs (stubs.ts, STUB-RPCTARGET).
  class RpcTarget {}
  // The module-level waitUntil: extends the scenario's lifetime like ctx.waitUntil does.
  function waitUntil(promise) {
    waitUntilHook(promise);
  }
  return Object.freeze({ __proto__: null, WorkerEntrypoint, RpcTarget, waitUntil });
})`;

/** What `import ... from "cloudflare:workers"` yields inside one worker. */
export interface WorkersModule {
  readonly WorkerEntrypoint: abstract new (ctx: unknown, env: unknown) => object;
  readonly RpcTarget: abstract new () => object;
  readonly waitUntil: (promise: unknown) => void;
}

/** The built-in modules a worker may import, by specifier. */
export const BUILTIN_MODULES = ["cloudflare:workers"] as const;

export function createWorkersModule(realm: WorkerRealm, waitUntil: (promise: unknown) => void): WorkersModule {
  const define = realm.evaluate(WORKERS_MODULE_SOURCE, "cloudflare:workers") as (
    hook: (promise: unknown) => void,
  ) => WorkersModule;
  return define(waitUntil);
}

/** True for a class that extends this realm's WorkerEntrypoint (directly or not). */
export function isEntrypointClass(module: WorkersModule, value: unknown): value is new (ctx: unknown, env: unknown) => object {
  return typeof value === "function" && value.prototype instanceof module.WorkerEntrypoint;
}
