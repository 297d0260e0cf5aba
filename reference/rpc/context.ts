/**
 * The ExecutionContext (`ctx`) a worker receives with every call, and the host-side tracker that
 * keeps `ctx.waitUntil` work alive.
 *
 * A fresh `ctx` is built for each call, in the callee's realm, so that `ctx.props` reflects the
 * binding the call came through and nothing written to one call's `ctx` leaks into the next.
 */
import type { CompatibilityFlag } from "../loading/compatibility.ts";
import type { WorkerRealm } from "../loading/realm.ts";
import { seams } from "../seams.ts";
import { currentCallScope } from "./call-scope.ts";

/** Realm-side source: the class lives in the worker's realm so its prototype is the worker's. */
const EXECUTION_CONTEXT_SOURCE = `(() => {
  "use strict";
  class ExecutionContext {
    #waitUntil;
    constructor(waitUntil, props, exports) {
      this.#waitUntil = waitUntil;
      this.props = props;
      if (exports !== undefined) this.exports = exports;
    }
    waitUntil(promise) {
      this.#waitUntil(promise);
    }
    passThroughOnException() {}
  }
  return ExecutionContext;
})`;

export type ExecutionContextClass = new (waitUntil: (promise: unknown) => void, props: unknown, exports: object | undefined) => object;

/**
 * Builds the `ctx` for one call, given the props (already in the callee's realm) and the worker's
 * `ctx.exports` (undefined when the flag is off).
 */
export type ContextFactory = (props: unknown, exports: object | undefined) => object;

/** CTX-EXPORTS: `ctx.exports` exists when this flag is on (workerd's `enableCtxExports`). */
export const CTX_EXPORTS: CompatibilityFlag = {
  enable: "enable_ctx_exports",
  disable: "disable_ctx_exports",
  defaultOn: "2025-11-17",
};

/** The steps of ctx a broken variant may replace (seams.ts). */
export const CONTEXT_SEAMS = {
  /**
   * Defines the realm's ExecutionContext class. CTX-PRESENT: `waitUntil`; CTX-PASSTHROUGH:
   * `passThroughOnException`. CTX-WAITUNTIL-INDEPENDENT: each promise is handed to `waitUntil` on
   * its own; one rejecting cancels nothing else.
   */
  executionContextClass(realm: WorkerRealm): ExecutionContextClass {
    const defineClass = realm.evaluate(EXECUTION_CONTEXT_SOURCE, "reference:execution-context") as () => ExecutionContextClass;
    return defineClass();
  },
};

/** Builds each call's `ctx` in `realm`, with `waitUntil` keeping work alive. */
export function installExecutionContext(realm: WorkerRealm, waitUntil: (promise: unknown) => void): ContextFactory {
  const ExecutionContext = seams(realm, CONTEXT_SEAMS).executionContextClass(realm);
  return (props, exports) => new ExecutionContext(waitUntil, props, exports);
}

/**
 * Holds every promise handed to `waitUntil` until it settles. In Node the work would keep running
 * anyway; tracking it lets `dispose()` wait for it, and a rejection is logged here instead of
 * surfacing as an unhandled rejection that would take the host process down.
 */
export class WaitUntilTracker {
  readonly #pending = new Set<Promise<void>>();
  readonly #log: (message: string) => void;

  constructor(log: (message: string) => void = (message) => console.error(message)) {
    this.#log = log;
  }

  /** `owner`: the worker's realm, whose current call (if any) this work keeps alive. */
  track(worker: string, value: unknown, owner?: WorkerRealm): void {
    const settled: Promise<void> = Promise.resolve(value)
      .then(
        () => {},
        (error: unknown) => this.#log(`[reference] worker "${worker}": a waitUntil promise rejected: ${String(error)}`),
      )
      .finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
    // CTX-FLOATING-CANCELLED: the call that handed this over stays alive until it settles.
    if (owner !== undefined) currentCallScope(owner)?.hold(settled);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Wait for the tracked work to settle, but no longer than `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.#pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        resolve();
      }, timeoutMs);
    });
    // Work may register more work (waitUntil inside waitUntil), so drain until nothing is left.
    while (this.#pending.size > 0 && !expired) await Promise.race([Promise.all(this.#pending), deadline]);
    clearTimeout(timer);
  }
}
