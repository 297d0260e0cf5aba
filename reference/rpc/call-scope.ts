/**
 * CTX-FLOATING-CANCELLED: what a method call leaves running when it is over. On workerd a call
 * runs in a request context that ends when its result has been delivered, once its `waitUntil`
 * work has settled, unless the result holds stubs or streams (then the context lives on with
 * them); when it ends, the timers it started and that have not fired are cancelled: their
 * callbacks never run, even while other calls are active in the same worker.
 *
 * Which call a timer belongs to is found as workerd finds it, by turns, with no host hooks (an
 * AsyncLocalStorage would turn on Node's promise hooks for the whole process: slower calls, and
 * promises with Node's own symbol-keyed properties). On workerd a request context is current for
 * the JS turn it runs: the dispatch of an incoming call, a callback of one of its timers, the
 * delivery of a result to a call it made, and the microtasks drained in that turn. Here:
 *
 * - exact: while a call's method runs synchronously, while a callback of one of its timers runs,
 *   and while a reaction runs that was registered with the worker's `Promise.prototype.then`
 *   (`catch`, `finally`) while the call was current ({@link carryIntoReactions}): its scope is the
 *   one current;
 * - by turn: in any other microtask of the worker (an `await` continuation, say), the scope is the
 *   one that entered the worker in the current drain of the host's microtask queue, if only one
 *   did (entries: a call's dispatch, a timer's callback, a result delivered to a call made under
 *   it). All the workers of the reference share that queue, so two calls entering the same worker
 *   in one drain make it ambiguous: then, and after an entry the reference does not know the
 *   scope of, nothing is current and the timers set are nobody's (they run: a timer wrongly
 *   cancelled is worse than one that runs).
 */
import { type HangWatch, type WatchedCall, whenSettled } from "./hang-watch.ts";

/** The realm side a scope needs: cancelling one of its timers, and its watch over hung calls. */
interface TimerOwner {
  cancelTimer(id: number): void;
  /** Which scopes entered the worker in the current drain. */
  readonly scopeTurn: ScopeTurn;
  /** CTX-HUNG-CANCELLED: the worker's watch over calls whose results are pending. */
  readonly hangWatch: HangWatch;
}

export class CallScope implements WatchedCall {
  readonly owner: TimerOwner;
  /** The ids of the call's pending timers. */
  readonly #timers = new Set<number>();
  #holds = 0;
  /** CTX-HUNG-CANCELLED: calls this call made that have not settled. */
  #calls = 0;
  #ended = false;
  #cancelled = false;

  constructor(owner: TimerOwner) {
    this.owner = owner;
  }

  /** True once the call is over: a timer set now would never run. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  addTimer(id: number): void {
    this.#timers.add(id);
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
      this.owner.hangWatch.poke();
    };
    work.then(release, release);
  }

  /** CTX-HUNG-CANCELLED: the call made a call of its own; it is not hung while that runs. */
  madeCall(pending: Promise<unknown>): void {
    this.#calls++;
    // Made on first use: a field initialised per scope would cost every call (keepNames names it).
    this.#callSettled ??= () => {
      this.#calls--;
      this.owner.hangWatch.poke();
    };
    whenSettled(pending, this.#callSettled);
  }

  #callSettled: (() => void) | undefined;

  /** CTX-HUNG-CANCELLED: no waitUntil work and no call of its own pending (its timers are the watch's business). */
  get waitsForNothing(): boolean {
    return this.#holds === 0 && this.#calls === 0;
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
    // Worker timers run in due order (loading/timers.ts), so every timer of the call that fell due
    // before the moment the call ended has run; what is left is cancelled.
    for (const id of this.#timers) this.owner.cancelTimer(id);
    this.#timers.clear();
  }
}

/** Which scopes entered one worker in the current drain of the microtask queue (see {@link currentCallScope}). */
export class ScopeTurn {
  drain = -1;
  scope: CallScope | undefined;
  mixed = false;
}

/** The scope whose code runs synchronously now: a call's dispatch, its timer's callback, a carried reaction. */
let active: CallScope | undefined;

/** Drains of the host's microtask queue, counted; a drain ends when the queue is empty. */
let drain = 0;
let drainEndPending = false;
const SETTLED = Promise.resolve();
const endDrain = () => {
  drain++;
  drainEndPending = false;
};
// A tick queued from a microtask runs once the whole microtask queue has drained (Node runs its
// tick queue, then V8's microtasks, until both are empty).
const endDrainAfterThisOne = () => process.nextTick(endDrain);

/** Note that `scope` (undefined: a scope the reference does not know) entered `owner`'s worker. */
function noteEntry(turn: ScopeTurn, scope: CallScope | undefined): void {
  if (turn.drain !== drain || (turn.scope?.cancelled === true && !turn.mixed)) {
    // A scope that is over no longer counts (a call ended and its caller made the next one).
    turn.drain = drain;
    turn.scope = scope;
    turn.mixed = false;
  } else if (turn.scope !== scope) {
    turn.mixed = true;
  }
  if (!drainEndPending) {
    drainEndPending = true;
    SETTLED.then(endDrainAfterThisOne);
  }
}

/** Run a call's code (or code on its behalf: a timer callback, a carried reaction) with its scope current. */
export function runInCallScope<T>(scope: CallScope, fn: () => T): T {
  noteEntry(scope.owner.scopeTurn, scope);
  const outer = active;
  active = scope;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

/** Run worker code that belongs to no known call (a timer set outside any call, a fetch handler). */
export function runOutsideCallScopes<T>(owner: TimerOwner, fn: () => T): T {
  noteEntry(owner.scopeTurn, undefined);
  const outer = active;
  active = undefined;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

/**
 * Worker code of `owner` is about to run on behalf of no call the reference knows (a pipelined
 * call, a call on a stub, the HTTP path), unless a call of that worker is current.
 */
export function noteUnscopedEntry(owner: TimerOwner): void {
  if (active === undefined || active.owner !== owner) noteEntry(owner.scopeTurn, undefined);
}

/** A result reaches code of `owner`'s worker that made a call while `scope` was current (undefined: none). */
export function noteDelivery(owner: TimerOwner, scope: CallScope | undefined): void {
  noteEntry(owner.scopeTurn, scope);
}

/**
 * CTX-HUNG-CANCELLED: a call, read or fetch the code of `caller`'s worker made (through a binding
 * or a stub), pending as `promise`. Made while a call's code runs synchronously, it keeps that call
 * from counting as hung; made anywhere else (after an `await`, where the call is known only by
 * turn, or under no known call), it keeps every waiting call of the caller's worker so.
 */
export function madeCall(caller: object, promise: Promise<unknown>): void {
  // Only a scope known exactly: one found by turn may be another call's, and the call that
  // really made it would then look as if it waited for nothing.
  if (active !== undefined && active.owner === caller) active.madeCall(promise);
  else (caller as Partial<TimerOwner>).hangWatch?.trackUnattributed(promise);
}

/** The scope of the call whose code (or continuation) is running in `owner`'s worker, if known. */
export function currentCallScope(owner: TimerOwner): CallScope | undefined {
  if (active !== undefined) return active.owner === owner ? active : undefined;
  const turn = owner.scopeTurn;
  return turn.drain === drain && !turn.mixed ? turn.scope : undefined;
}

/**
 * The worker's `Promise.prototype.then`, which carries the scope current when a reaction is
 * registered into the reaction (`catch` and `finally` call `then`). It is the original to every
 * observer: same name, length, descriptor and source text (`mark` makes it print as native).
 * `await` does not go through it: its continuations have the scope of their turn.
 */
export function carryIntoReactions(owner: TimerOwner, evaluate: (source: string) => unknown, mark: <F>(fn: F) => F): void {
  const install = evaluate(`(scopeNow, runIn) => {
    const prototype = Promise.prototype;
    const original = prototype.then;
    const apply = Reflect.apply;
    const then = {
      then(onFulfilled, onRejected) {
        const scope = scopeNow();
        if (scope === undefined) return apply(original, this, arguments);
        return apply(original, this, [
          typeof onFulfilled === "function" ? (value) => runIn(scope, onFulfilled, value) : onFulfilled,
          typeof onRejected === "function" ? (reason) => runIn(scope, onRejected, reason) : onRejected,
        ]);
      },
    }.then;
    Object.defineProperty(prototype, "then", { value: then, writable: true, enumerable: false, configurable: true });
    return then;
  }`) as (scopeNow: () => CallScope | undefined, runIn: (scope: CallScope, fn: (value: unknown) => unknown, value: unknown) => unknown) => unknown;
  mark(
    install(
      () => (active !== undefined && active.owner === owner ? active : undefined),
      (scope, fn, value) => runInCallScope(scope, () => fn(value)),
    ),
  );
}
