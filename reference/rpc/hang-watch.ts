/**
 * CTX-HUNG-CANCELLED: a method call whose result is still pending when nothing left in its
 * request could ever settle it is cancelled, and its caller's call rejects with workerd's error.
 *
 * workerd knows every event a request context waits for, and cancels the request the moment it
 * waits for none. The reference knows less, so it errs on the side of waiting: a worker's pending
 * calls are looked at only when the worker is quiet — no timer of it pending (whichever call set
 * it), no host operation of it pending (`fetch`, `crypto.subtle`, a compression stream's read, a
 * body it pulls from another worker), no call it made that the reference cannot pin on one call
 * still running (call-scope.ts, `madeCall`) — and then a call is cancelled if it waits for no
 * `waitUntil` work and no call it made itself. Anything the reference cannot attribute keeps every
 * call of the worker alive; the price is that such a worker's hung calls stay pending longer (or
 * for good), where workerd would have cancelled them.
 *
 * The look happens on a host macrotask (`setImmediate`) after something changed, so that the
 * microtasks of the change (a continuation that settles the result, a second call made in the
 * same turn) have run first.
 */

/** workerd's words for a cancelled hung request (2026-11-17, both profiles). */
export const HUNG_MESSAGE =
  "The Workers runtime canceled this request because it detected that your Worker's code had hung and would never generate a response. Refer to: https://developers.cloudflare.com/workers/observability/errors/";

/**
 * Run `done` once `work` settles, through the host's own `then`: a worker's promise would go
 * through the worker's `then`, which carries call scopes (rpc/call-scope.ts) and must not see this.
 */
export function whenSettled(work: Promise<unknown>, done: () => void): void {
  HOST_THEN.call(work, done, done);
}
const HOST_THEN = Promise.prototype.then;

/** What the watch needs of a call's scope: whether the call itself still waits for something. */
export interface WatchedCall {
  /** No `waitUntil` work and no call made by it still pending. */
  readonly waitsForNothing: boolean;
}

/** One worker's watch over its calls whose results are pending. */
export class HangWatch {
  /** Calls whose results are pending, each with what cancels it. */
  readonly #waiting = new Map<WatchedCall, () => void>();
  /** Host operations and unattributed calls of the worker still running. */
  #busy = 0;
  #queued = false;
  readonly #hasTimers: () => boolean;

  /** `hasTimers`: whether any timer of the worker is pending. */
  constructor(hasTimers: () => boolean) {
    this.#hasTimers = hasTimers;
  }

  /** Keep every call of the worker alive until `work` settles (host I/O…). Returns `work`. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#busy++;
    whenSettled(work, this.#release);
    return work;
  }

  /**
   * A call the worker's code made under no known call: like {@link track}, but only while some call
   * is waiting. A call in its synchronous part is always known (rpc/call-scope.ts), so work begun
   * while none waits cannot be a watched call's.
   */
  trackUnattributed(work: Promise<unknown>): void {
    if (this.#waiting.size > 0) this.track(work);
  }

  readonly #release = (): void => {
    this.#busy--;
    this.poke();
  };

  /** `call`'s result is pending; `cancel` settles its caller's call with the hung error. */
  wait(call: WatchedCall, cancel: () => void): void {
    this.#waiting.set(call, cancel);
    this.poke();
  }

  /** `call`'s result settled: it is not watched any longer. */
  settled(call: WatchedCall): void {
    this.#waiting.delete(call);
  }

  /** Something the watched calls may wait for changed (a timer ran, work settled): look again soon. */
  poke(): void {
    if (this.#queued || this.#waiting.size === 0) return;
    this.#queued = true;
    setImmediate(this.#look);
  }

  readonly #look = (): void => {
    this.#queued = false;
    if (this.#busy > 0 || this.#hasTimers()) return;
    for (const [call, cancel] of this.#waiting) {
      if (!call.waitsForNothing) continue;
      this.#waiting.delete(call);
      cancel();
    }
  };
}
