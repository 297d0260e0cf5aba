/**
 * Stubs: how functions and `RpcTarget` instances cross the boundary by reference, and how calls on
 * them, and on results not yet arrived (pipelining), reach the value where it lives.
 *
 * Three kinds of thing:
 * - a {@link StubTarget} is the value itself (a function, or an instance of a class extending
 *   `RpcTarget`), in the realm of the worker that owns it, with a count of the handles on it;
 * - a {@link StubHandle} is one worker's handle on a target; the worker sees it as a stub, a
 *   callable proxy of its own realm. Disposing the handle (`stub[Symbol.dispose]()`) makes the
 *   stub unusable (STUB-DISPOSE); `stub.dup()` makes another handle (STUB-DUP); when the last
 *   handle goes, the target's own `[Symbol.dispose]` runs (STUB-RPCTARGET-DISPOSER);
 * - a {@link RemoteValue} is something names can be called or read on: a stub's target, or the
 *   callee-side result of a call, for pipelining (PIPE-*).
 *
 * Copies go through the scenario's Serializer; its `byReference` hook lands in
 * {@link StubBroker.byReference}, which knows, for the copy under way, who sends and who
 * receives. A copy is synchronous, so that context is a field set around it.
 */
import { findOnPrototypes, isThenable, notImplemented, read } from "./dispatcher.ts";
import { cloneFailure, toCallerError } from "./errors.ts";
import type { FaultSwitches } from "./faults.ts";
import { createRpcPath, createRpcPromise } from "./rpc-promise.ts";
import type { Arrival, RemoteCaller } from "./rpc-promise.ts";
import type { Serializer } from "./serialize.ts";
import type { LoadedWorker } from "./worker.ts";

type Settle = (value: unknown) => void;

const DISPOSED_STUB = "RPC stub used after being disposed.";

/** A function or RpcTarget instance that stubs point at, in its owner's realm. */
class StubTarget {
  readonly owner: LoadedWorker;
  readonly value: object;
  #handles = 0;
  /** Fault `disposer-once-per-target` only. */
  #disposerRan = false;

  constructor(owner: LoadedWorker, value: object) {
    this.owner = owner;
    this.value = value;
  }

  retain(): void {
    this.#handles++;
  }

  /**
   * STUB-RPCTARGET-DISPOSER: when the last handle goes, the target's own disposer runs, later.
   * STUB-SAME-TARGET: it runs again each time a later call's handles on it are all gone.
   */
  release(faults: FaultSwitches): void {
    if (--this.#handles > 0) return;
    if (faults["target-disposer-never-runs"]) return; // fault target-disposer-never-runs (STUB-RPCTARGET-DISPOSER)
    if (faults["disposer-once-per-target"] && this.#disposerRan) return; // fault disposer-once-per-target (STUB-SAME-TARGET)
    this.#disposerRan = true;
    // STUB-ASYNC-DISPOSE-IGNORED: only [Symbol.dispose] is a disposer; [Symbol.asyncDispose] is never called.
    const key = faults["async-disposer-runs"] && !(Symbol.dispose in this.value) ? Symbol.asyncDispose : Symbol.dispose; // fault async-disposer-runs (STUB-ASYNC-DISPOSE-IGNORED)
    const dispose = (this.value as Record<symbol, unknown>)[key];
    if (typeof dispose !== "function") return;
    queueMicrotask(() => {
      try {
        dispose.call(this.value);
      } catch (error) {
        this.owner.realm.log(`[reference] worker "${this.owner.name}": a disposer threw: ${String(error)}`);
      }
    });
  }
}

/** One worker's handle on a target. */
class StubHandle {
  readonly target: StubTarget;
  readonly holder: LoadedWorker;
  disposed = false;

  constructor(target: StubTarget, holder: LoadedWorker) {
    this.target = target;
    this.holder = holder;
    target.retain();
  }

  dispose(faults: FaultSwitches): void {
    if (this.disposed || faults["dispose-noop"]) return; // fault dispose-noop (STUB-DISPOSE)
    this.disposed = true;
    this.target.release(faults);
  }
}

/** Where a call or read on a remote value starts: the value itself, or a promise of it. */
type Root = { value: unknown } | { promise: Promise<unknown> };

/** What the copy under way is for. */
interface CopyContext {
  from: LoadedWorker;
  to: LoadedWorker;
  /** Handles made for the receiver, to release when a call's arguments are done with. */
  made: StubHandle[];
  /** The sender's handles to dispose once the copy is done (transfer of ownership). */
  transferred: StubHandle[] | null;
  kind: "arguments" | "result";
  /** The top-level values being copied (fault nested-stubs-refused only). */
  tops: readonly unknown[];
}

/** A call's copied arguments, and how to let go of the stubs made for them. */
export interface SentArguments {
  values: unknown[];
  release(): void;
}

export class StubBroker {
  readonly #serializer: Serializer;
  readonly faults: FaultSwitches;
  /** The stub proxies of every realm, to their handles. */
  readonly #handles = new WeakMap<object, StubHandle>();
  /** One target per function or RpcTarget, so the same value always has the same handles. */
  readonly #targets = new WeakMap<object, StubTarget>();
  #context: CopyContext | null = null;
  /** Fault `reorder-calls` only. */
  #reordered = 0;

  constructor(serializer: Serializer, faults: FaultSwitches) {
    this.#serializer = serializer;
    this.faults = faults;
  }

  // ---- copying -------------------------------------------------------------------------------

  /**
   * SER-COPY-ARGS with stubs: the arguments are copied into `to` now; functions and RpcTargets in
   * them become stubs held by `to`, released when the call is done (the callee must `dup()` what
   * it keeps). STUB-PARAM-OWNERSHIP: under `rpc_params_dup_stubs` the caller keeps the stubs it
   * passed; before it, sending them disposes the caller's.
   */
  copyArguments(args: unknown[], from: LoadedWorker, to: LoadedWorker): SentArguments {
    // The common case, primitives only, needs no copy context: nothing in it can be a stub.
    if (!args.some(isObjectLike)) return { values: this.#serializer.copyArguments(args, to.realm), release: noop };
    const transfer = this.faults["params-always-transfer"] || !from.paramsDupStubs; // fault params-always-transfer (STUB-PARAM-OWNERSHIP)
    const context: CopyContext = { from, to, made: [], transferred: transfer ? [] : null, kind: "arguments", tops: args };
    const values = this.#withContext(context, () => this.#serializer.copyArguments(args, to.realm));
    for (const handle of context.transferred ?? []) handle.dispose(this.faults);
    const made = context.made;
    // STUB-PARAMS-RELEASED: when the call returns, the stubs made for its arguments are disposed.
    if (this.faults["params-kept-after-call"]) return { values, release: noop }; // fault params-kept-after-call (STUB-PARAMS-RELEASED)
    return { values, release: made.length === 0 ? noop : () => made.forEach((h) => h.dispose(this.faults)) };
  }

  /**
   * SER-COPY-RESULT with stubs. STUB-RESULT-DISPOSE: a result object holding stubs gets a
   * `[Symbol.dispose]` that disposes every stub in it.
   */
  copyResult(value: unknown, from: LoadedWorker, to: LoadedWorker): unknown {
    if (!isObjectLike(value)) return this.#serializer.copy(value, to.realm);
    const context: CopyContext = { from, to, made: [], transferred: null, kind: "result", tops: [value] };
    const copy = this.#withContext(context, () => this.#serializer.copy(value, to.realm));
    if (context.made.length > 0 && typeof copy === "object" && copy !== null && !this.#handles.has(copy)) {
      const made = context.made;
      const disposeAll = to.realm.realmFunction("dispose", () => {
        if (!this.faults["result-dispose-noop"]) for (const handle of made) handle.dispose(this.faults); // fault result-dispose-noop (STUB-RESULT-DISPOSE)
      });
      Object.defineProperty(copy, Symbol.dispose, { value: disposeAll, writable: true, configurable: true, enumerable: false });
    }
    return copy;
  }

  #withContext<T>(context: CopyContext, copy: () => T): T {
    const outer = this.#context;
    this.#context = context;
    try {
      return copy();
    } finally {
      this.#context = outer;
    }
  }

  /** The Serializer's hook: what crosses in place of `value`, or undefined to refuse it. */
  byReference(value: object): unknown {
    const context = this.#context;
    if (context === null) return undefined; // not a call (vars, props): nothing goes by reference
    if (this.faults["nested-stubs-refused"] && !context.tops.includes(value)) return undefined; // fault nested-stubs-refused (STUB-NESTED)
    const handle = this.#handles.get(value);
    if (handle !== undefined) {
      // STUB-FORWARD: a stub passed on reaches the same target, wherever it lives.
      if (this.faults["forward-stub-refused"]) return undefined; // fault forward-stub-refused (STUB-FORWARD)
      // STUB-DISPOSE: a disposed stub cannot be sent either.
      if (handle.disposed) throw new context.from.realm.intrinsics.errors.Error(DISPOSED_STUB);
      context.transferred?.push(handle);
      return this.#newStub(handle.target, context);
    }
    if (typeof value === "function") {
      if (context.kind === "result" && this.faults["function-results-refused"]) return undefined; // fault function-results-refused (STUB-FUNCTION)
      if (context.kind === "arguments" && this.faults["function-arguments-refused"]) return undefined; // fault function-arguments-refused (STUB-FUNCTION-ARG)
      return this.#newStub(this.#targetFor(value, context.from), context);
    }
    // STUB-RPCTARGET: instances of classes extending RpcTarget cross by reference.
    if (value instanceof context.from.workersModule.RpcTarget) return this.#newStub(this.#targetFor(value, context.from), context);
    return undefined;
  }

  #targetFor(value: object, owner: LoadedWorker): StubTarget {
    let target = this.#targets.get(value);
    if (target === undefined) this.#targets.set(value, (target = new StubTarget(owner, value)));
    return target;
  }

  #newStub(target: StubTarget, context: CopyContext): unknown {
    const handle = new StubHandle(target, context.to);
    context.made.push(handle);
    return this.#proxy(handle);
  }

  /** The stub a worker sees for one handle: callable, not thenable, every other name remote. */
  #proxy(handle: StubHandle): object {
    const realm = handle.holder.realm;
    const remote = new RemoteValue(this, handle.holder, handle.target.owner, { value: handle.target.value }, handle);
    const objectPrototype = realm.intrinsics.ObjectPrototype;
    const dispose = realm.realmFunction("dispose", () => handle.dispose(this.faults));
    const dup = realm.realmFunction("dup", () => {
      if (this.faults["dup-shares-handle"]) return proxy; // fault dup-shares-handle (STUB-DUP)
      // STUB-DUP: an independent handle on the same target.
      return this.#proxy(new StubHandle(handle.target, handle.holder));
    });
    const proxy: object = new Proxy(realm.newCallable(), {
      get(_target, key, receiver) {
        if (key === Symbol.dispose) return dispose;
        if (typeof key === "symbol" || key === "then") return undefined; // a stub is not a thenable
        if (key === "dup") return dup;
        if (key in objectPrototype) return Reflect.get(objectPrototype, key, receiver);
        return createRpcPath(realm, remote, [key]);
      },
      apply(_target, _this, args) {
        return remote.callPath([], args);
      },
    });
    this.#handles.set(proxy, handle);
    return proxy;
  }

  // ---- calls ----------------------------------------------------------------------------------

  /**
   * Run `start` (in the owner's realm) in a microtask and give the holder a thenable of its copied
   * result. The callee-side result is kept, so names read on the thenable reach it (pipelining).
   */
  result(holder: LoadedWorker, owner: LoadedWorker, start: () => unknown, sent: SentArguments | null, what: () => string): unknown {
    const realm = holder.realm;
    let resolve!: Settle;
    let reject!: Settle;
    const promise = new realm.intrinsics.Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const arrived: Arrival = {};
    const fail: Settle = (error) => {
      sent?.release();
      reject(toCallerError(error, realm));
      promise.catch(() => {});
    };
    const deliver: Settle = (value) => {
      sent?.release();
      arrived.value = value;
      let copy: unknown;
      try {
        copy = this.copyResult(value, owner, holder);
      } catch (error) {
        reject(error instanceof DOMException && error.name === "DataCloneError" ? cloneFailure(error, `returning the result of ${what()}`, true) : toCallerError(error, realm));
        promise.catch(() => {});
        return;
      }
      arrived.delivered = true;
      arrived.copy = copy;
      resolve(copy);
    };
    const run = () => {
      let value: unknown;
      try {
        value = start();
        if (isThenable(value)) return void value.then(deliver, fail);
      } catch (error) {
        return fail(error);
      }
      deliver(value);
    };
    // CALL-E-ORDER: every call starts from the one microtask queue, so calls start in the order made.
    if (this.faults["reorder-calls"] && this.#reordered++ % 2 === 0) setTimeout(run, 1); // fault reorder-calls (CALL-E-ORDER)
    else queueMicrotask(run);
    return createRpcPromise(realm, promise, () => this.pipeline(holder, owner, promise, arrived, start), arrived);
  }

  /** A call that failed before it was sent: a thenable whose pipelined names fail the same way (PIPE-FAILURE). */
  failed(holder: LoadedWorker, owner: LoadedWorker, promise: Promise<unknown>): unknown {
    return createRpcPromise(holder.realm, promise, () => this.pipeline(holder, owner, promise, {}, () => promise));
  }

  /**
   * PIPE-METHOD, PIPE-SAME-INSTANCE: names read on a call's thenable go to the callee-side result
   * of that very call. PIPE-FAILURE: if the call failed, they fail with its error.
   */
  pipeline(holder: LoadedWorker, owner: LoadedWorker, promise: Promise<unknown>, arrived: Arrival, rerun: () => unknown): RemoteCaller {
    let root: Promise<unknown>;
    if (this.faults["pipeline-reruns-call"]) {
      root = Promise.resolve().then(rerun); // fault pipeline-reruns-call (PIPE-SAME-INSTANCE)
    } else if (this.faults["pipeline-failure-generic"]) {
      // fault pipeline-failure-generic (PIPE-FAILURE)
      root = promise.then(() => arrived.value, () => { throw new TypeError("the pipelined call's target failed"); });
    } else {
      root = promise.then(() => arrived.value);
    }
    root.catch(() => {});
    return new RemoteValue(this, holder, owner, { promise: root }, null);
  }
}

/** A value names can be called or read on: a stub's target, or a call's callee-side result. */
class RemoteValue implements RemoteCaller {
  readonly #broker: StubBroker;
  readonly #holder: LoadedWorker;
  readonly #owner: LoadedWorker;
  readonly #root: Root;
  /** Null for a pipelined result (it has no handle to dispose). */
  readonly #handle: StubHandle | null;

  constructor(broker: StubBroker, holder: LoadedWorker, owner: LoadedWorker, root: Root, handle: StubHandle | null) {
    this.#broker = broker;
    this.#holder = holder;
    this.#owner = owner;
    this.#root = root;
    this.#handle = handle;
  }

  get faults(): FaultSwitches {
    return this.#broker.faults;
  }

  callPath(path: readonly string[], args: unknown[]): unknown {
    const disposed = this.#disposedError();
    if (disposed) return this.#broker.failed(this.#holder, this.#owner, disposed);
    let sent: SentArguments;
    try {
      sent = this.#broker.copyArguments(args, this.#holder, this.#owner);
    } catch (error) {
      const failure = error instanceof DOMException && error.name === "DataCloneError" ? cloneFailure(error, `sending the arguments of ${describePath(path)}`, false) : error;
      return this.#broker.failed(this.#holder, this.#owner, rejected(this.#holder, failure));
    }
    const owner = this.#owner;
    const start = this.#from((value) => invoke(owner, value, path, sent.values, this.faults));
    return this.#broker.result(this.#holder, owner, start, sent, () => describePath(path));
  }

  getPath(path: readonly string[]): Promise<unknown> {
    const disposed = this.#disposedError();
    if (disposed) return disposed;
    const owner = this.#owner;
    const start = this.#from((value) => navigate(owner, value, path, this.faults));
    return this.#broker.result(this.#holder, owner, start, null, () => describePath(path)) as Promise<unknown>;
  }

  /** Run `use` on the root value: now if it is here, once it arrives otherwise. */
  #from(use: (value: unknown) => unknown): () => unknown {
    const root = this.#root;
    if ("promise" in root) return () => root.promise.then(use);
    return () => use(root.value);
  }

  /** STUB-DISPOSE: a disposed stub rejects every call and read. */
  #disposedError(): Promise<unknown> | undefined {
    if (this.#handle === null || !this.#handle.disposed) return undefined;
    return rejected(this.#holder, new this.#holder.realm.intrinsics.errors.Error(DISPOSED_STUB));
  }
}

function rejected(holder: LoadedWorker, error: unknown): Promise<unknown> {
  const promise = holder.realm.intrinsics.Promise.reject(error);
  promise.catch(() => {});
  return promise;
}

function noop(): void {}

function isObjectLike(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function describePath(path: readonly string[]): string {
  return path.length === 0 ? "a stub" : `stub.${path.join(".")}`;
}

/** Call the member at `path` of `root` (the root itself when the path is empty), `this` being its holder. */
function invoke(owner: LoadedWorker, root: unknown, path: readonly string[], args: unknown[], faults: FaultSwitches): unknown {
  if (path.length === 0) {
    // PIPE-CALL-RESULT: calling a stub or a result that is not a function; workerd names the receiver "(this)".
    if (typeof root !== "function") throw new TypeError('"(this)" is not a function.');
    return (root as (...a: unknown[]) => unknown)(...args);
  }
  const holder = navigate(owner, root, path.slice(0, -1), faults);
  const name = path[path.length - 1]!;
  const fn = member(owner, holder, path, path.length - 1, faults);
  if (typeof fn !== "function") throw new TypeError(`"${name}" is not a function.`);
  return (fn as (...a: unknown[]) => unknown).apply(holder, args);
}

function navigate(owner: LoadedWorker, root: unknown, path: readonly string[], faults: FaultSwitches): unknown {
  let value = root;
  for (let i = 0; i < path.length; i++) value = member(owner, value, path, i, faults);
  return value;
}

/**
 * What `path[i]` reaches on `holder`, as the callee's runtime sees it. STUB-RPCTARGET: on an
 * RpcTarget, the visibility of entrypoints (prototype chain up to RpcTarget, own properties
 * never); on a function or plain data, its own properties.
 */
function member(owner: LoadedWorker, holder: unknown, path: readonly string[], i: number, faults: FaultSwitches): unknown {
  const name = path[i]!;
  if ((typeof holder !== "object" && typeof holder !== "function") || holder === null) {
    // PIPE-NON-OBJECT: a primitive has no members. workerd names the name that led to the
    // primitive, or the first name when the result itself is the primitive.
    if (faults["pipeline-primitive-undefined"]) return undefined; // fault pipeline-primitive-undefined (PIPE-NON-OBJECT)
    throw notImplemented(i > 0 ? path[i - 1]! : name);
  }
  if (holder instanceof owner.workersModule.RpcTarget) {
    if (Object.hasOwn(holder, name)) {
      if (faults["rpctarget-own-properties-visible"]) return (holder as Record<string, unknown>)[name]; // fault rpctarget-own-properties-visible (STUB-RPCTARGET)
      throw notImplemented(name);
    }
    const found = findOnPrototypes(Object.getPrototypeOf(holder) as object, name, rpcTargetStops(owner), false);
    if (found === null) throw notImplemented(name);
    return read(found, holder, name);
  }
  const descriptor = Object.getOwnPropertyDescriptor(holder, name);
  if (descriptor === undefined || !("value" in descriptor)) throw notImplemented(name);
  return descriptor.value;
}

const stopsByWorker = new WeakMap<LoadedWorker, Set<object>>();
function rpcTargetStops(owner: LoadedWorker): Set<object> {
  let stops = stopsByWorker.get(owner);
  if (stops === undefined) stopsByWorker.set(owner, (stops = new Set([owner.workersModule.RpcTarget.prototype, owner.realm.intrinsics.ObjectPrototype])));
  return stops;
}
