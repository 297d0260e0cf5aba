/**
 * CTX-FLOATING-CANCELLED: what a method call leaves running when it is over. On workerd a call
 * runs in a request context that ends when its result has been delivered, once its `waitUntil`
 * work has settled, unless the result holds stubs or streams (then the context lives on with
 * them); when it ends, the timers it started and that have not fired are cancelled: their
 * callbacks never run, even while other calls are active in the same worker.
 *
 * The reference follows a call through its continuations with an AsyncLocalStorage: a timer set
 * while a call's scope is current belongs to that call (if set in that call's worker).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { types } from "node:util";

/** The realm side a scope needs: cancelling one of its timers. */
interface TimerOwner {
  cancelTimer(id: number): void;
}

export class CallScope {
  readonly owner: TimerOwner;
  /** The call's pending timers, by id: when each falls due (performance.now()) and the timer turn it was set in. */
  readonly #timers = new Map<number, { dueAt: number; turn: number }>();
  #holds = 0;
  #ended = false;
  #cancelled = false;

  constructor(owner: TimerOwner) {
    this.owner = owner;
  }

  /** True once the call is over: a timer set now would never run. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  addTimer(id: number, dueAt: number): void {
    this.#timers.set(id, { dueAt, turn: timerTurn.seq });
  }

  timerDone(id: number): void {
    this.#timers.delete(id);
  }

  /** CTX-WAITUNTIL: the call's context lasts until this work settles. */
  hold(work: Promise<unknown>): void {
    this.#holds++;
    const release = () => {
      this.#holds--;
      this.#cancelIfOver();
    };
    work.then(release, release);
  }

  /** The call's result (or error) has been delivered. `keepAlive`: it holds stubs or streams. */
  end(keepAlive: boolean): void {
    if (keepAlive) return;
    this.#ended = true;
    this.#cancelIfOver();
  }

  #cancelIfOver(): void {
    if (!this.#ended || this.#holds > 0 || this.#cancelled) return;
    this.#cancelled = true;
    // When the call ends inside a timer's callback (a waitUntil timer settling its work), a timer
    // of the call that fell due before that one and was set in an earlier turn would have run
    // first on workerd; here it is only waiting for a late event loop (both expired in one turn),
    // so it keeps its one run. Anything else is cancelled, however late the host is: the moment
    // that counts is the due time of the timer whose turn ended the call, never the host's clock.
    for (const [id, { dueAt, turn }] of this.#timers) {
      if (!(turn < timerTurn.seq && dueAt <= timerTurn.dueAt)) this.owner.cancelTimer(id);
    }
    this.#timers.clear();
  }
}

/** The last worker timer whose callback ran: its turn number and the time it fell due. */
let timerTurn = { seq: 0, dueAt: Number.NEGATIVE_INFINITY };

/** A worker timer's callback is about to run: it and the microtasks it queues are its turn. */
export function enterTimerTurn(dueAt: number): void {
  timerTurn = { seq: timerTurn.seq + 1, dueAt };
}

const scopes = new AsyncLocalStorage<CallScope>();

export function runInCallScope<T>(scope: CallScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** The scope of the call whose code (or continuation) is running, if any. */
export function currentCallScope(): CallScope | undefined {
  return scopes.getStore();
}

/**
 * Whether a call's result keeps its context alive: it holds something by reference (a function,
 * an RpcTarget or any class instance the copier sends as a stub) or a body (a stream, a Request or
 * Response). Looked for in the callee's value, up to a depth.
 */
export function keepsContextAlive(value: unknown, depth = 0, seen = new Set<object>()): boolean {
  if (typeof value === "function") return true;
  if (typeof value !== "object" || value === null || seen.has(value) || depth > 32) return false;
  seen.add(value);
  if (value instanceof ReadableStream || value instanceof Request || value instanceof Response || value instanceof Blob) return true;
  if (value instanceof Map) return [...value].some(([k, v]) => keepsContextAlive(k, depth + 1, seen) || keepsContextAlive(v, depth + 1, seen));
  if (value instanceof Set) return [...value].some((v) => keepsContextAlive(v, depth + 1, seen));
  const proto = Object.getPrototypeOf(value) as object | null;
  // A class instance that crosses is an RpcTarget (a stub); one that does not fails the call anyway.
  if (proto !== null && !Array.isArray(value) && Object.getPrototypeOf(proto) !== null && !ArrayBuffer.isView(value) && !types.isNativeError(value) && !types.isDate(value) && !types.isRegExp(value)) return true;
  return Object.values(value).some((v) => keepsContextAlive(v, depth + 1, seen));
}
