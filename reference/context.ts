/**
 * The ExecutionContext (`ctx`) a worker receives with every call, and the host-side tracker that
 * keeps `ctx.waitUntil` work alive.
 *
 * A fresh `ctx` is built for each call, in the callee's realm, so that `ctx.props` reflects the
 * binding the call came through and nothing written to one call's `ctx` leaks into the next.
 */
import type { WorkerRealm } from "./realm.ts";

/** Realm-side source: the class lives in the worker's realm so its prototype is the worker's. */
const EXECUTION_CONTEXT_SOURCE = `((withWaitUntil) => {
  "use strict";
  class ExecutionContext {
    #waitUntil;
    constructor(waitUntil, props) {
      this.#waitUntil = waitUntil;
      this.props = props;
    }
    waitUntil(promise) {
      this.#waitUntil(promise);
    }
    passThroughOnException() {}
  }
  if (!withWaitUntil) delete ExecutionContext.prototype.waitUntil;
  return ExecutionContext;
})`;

type ExecutionContextClass = new (waitUntil: (promise: unknown) => void, props: unknown) => object;

/** Builds the `ctx` for one call, given the props (already in the callee's realm). */
export type ContextFactory = (props: unknown) => object;

export function installExecutionContext(
  realm: WorkerRealm,
  waitUntil: (promise: unknown) => void,
  options: { withWaitUntil: boolean },
): ContextFactory {
  const defineClass = realm.evaluate(EXECUTION_CONTEXT_SOURCE, "reference:execution-context") as (
    withWaitUntil: boolean,
  ) => ExecutionContextClass;
  const ExecutionContext = defineClass(options.withWaitUntil);
  return (props) => new ExecutionContext(waitUntil, props);
}

/**
 * Holds every promise handed to `waitUntil` until it settles. In Node the work would keep running
 * anyway; tracking it lets `dispose()` wait for it, and a rejection is logged here instead of
 * surfacing as an unhandled rejection that would take the host process down.
 */
export class WaitUntilTracker {
  readonly #pending = new Set<Promise<void>>();

  track(worker: string, value: unknown): void {
    const settled: Promise<void> = Promise.resolve(value)
      .then(
        () => {},
        (error: unknown) => console.error(`[reference] worker "${worker}": a waitUntil promise rejected:`, error),
      )
      .finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
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
