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
 * Copies go through the scenario's Copier; its `byReference` hook lands in
 * {@link StubBroker.byReference}, which knows, for the copy under way, who sends and who
 * receives. A copy is synchronous, so that context is a field set around it.
 */
import { findOnPrototypes, isThenable, notImplemented, read } from "./dispatcher.ts";
import { cloneFailure, toCallerError } from "./errors.ts";
import { isDOMException } from "../loading/realm.ts";
import type { FaultSwitches } from "../faults.ts";
import { types } from "node:util";
import { createRpcPath, createRpcPromise } from "./promise.ts";
import { HANDLE_SEAMS } from "./names.ts";
import { seams } from "../seams.ts";
import type { Arrival, RemoteCaller } from "./promise.ts";
import type { Copier } from "../copy/serialize.ts";
import type { LoadedWorker } from "../loading/worker.ts";
import { isArrayIndex } from "./names.ts";
import { isStringifying } from "./handle-classes.ts";
import { noteUnscopedEntry } from "./call-scope.ts";

type Settle = (value: unknown) => void;

const DISPOSED_STUB = "RPC stub used after being disposed.";

/** The id workerd puts in "internal error; reference = <id>" (26 characters of [0-9a-v]; any will do). */
function internalErrorId(): string {
  return Array.from({ length: 26 }, () => "0123456789abcdefghijklmnopqrstuv"[Math.floor(Math.random() * 32)]).join("");
}

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

  /** STUB-DISPOSED-SENT: a handle that is disposed from the start (it never held the target). */
  static disposedOn(target: StubTarget, holder: LoadedWorker): StubHandle {
    const handle = Object.create(StubHandle.prototype) as { -readonly [K in keyof StubHandle]: StubHandle[K] };
    handle.target = target;
    handle.holder = holder;
    handle.disposed = true;
    return handle as StubHandle;
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
  readonly #copier: Copier;
  readonly faults: FaultSwitches;
  /** The stub proxies of every realm, to their handles. */
  readonly #handles = new WeakMap<object, StubHandle>();
  /** One target per function or RpcTarget, so the same value always has the same handles. */
  readonly #targets = new WeakMap<object, StubTarget>();
  #context: CopyContext | null = null;
  /** Fault `reorder-calls` only. */
  #reordered = 0;

  constructor(copier: Copier, faults: FaultSwitches) {
    this.#copier = copier;
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
    if (!args.some(isObjectLike)) return { values: this.#copier.copyArguments(args, to.realm), release: noop };
    const transfer = this.faults["params-always-transfer"] || !from.paramsDupStubs; // fault params-always-transfer (STUB-PARAM-OWNERSHIP)
    const context: CopyContext = { from, to, made: [], transferred: transfer ? [] : null, kind: "arguments", tops: args };
    const values = this.#withContext(context, () => this.#copier.copyArguments(args, to.realm));
    for (const handle of context.transferred ?? []) handle.dispose(this.faults);
    const made = context.made;
    // STUB-PARAMS-RELEASED: when the call returns, the stubs made for its arguments are disposed.
    if (this.faults["params-kept-after-call"]) return { values, release: noop }; // fault params-kept-after-call (STUB-PARAMS-RELEASED)
    return { values, release: made.length === 0 ? noop : () => made.forEach((h) => h.dispose(this.faults)) };
  }

  /**
   * SER-COPY-RESULT with stubs. STUB-RESULT-DISPOSE: every object a call resolves to (not the
   * objects inside it, and not a stub) gets an own non-enumerable `[Symbol.dispose]` that disposes
   * every stub in it, and does nothing when it holds none.
   */
  copyResult(value: unknown, from: LoadedWorker, to: LoadedWorker): unknown {
    if (!isObjectLike(value)) return this.#copier.copy(value, to.realm);
    const context: CopyContext = { from, to, made: [], transferred: null, kind: "result", tops: [value] };
    const copy = this.#withContext(context, () => this.#copier.copy(value, to.realm));
    const disposable = this.faults["result-dispose-only-with-stubs"] ? context.made.length > 0 : true; // fault result-dispose-only-with-stubs (STUB-RESULT-DISPOSE)
    if (disposable && typeof copy === "object" && copy !== null && !this.#handles.has(copy)) {
      const made = context.made;
      const disposeAll = to.realm.realmFunction("", () => {
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

  /** The Copier's hook: what crosses in place of `value`, or undefined to refuse it. */
  byReference(value: object): unknown {
    const context = this.#context;
    if (context === null) return undefined; // not a call (vars, props): nothing goes by reference
    if (this.faults["nested-stubs-refused"] && !context.tops.includes(value)) return undefined; // fault nested-stubs-refused (STUB-NESTED)
    const handle = this.#handles.get(value);
    if (handle !== undefined) {
      // STUB-FORWARD: a stub passed on reaches the same target, wherever it lives.
      if (this.faults["forward-stub-refused"]) return undefined; // fault forward-stub-refused (STUB-FORWARD)
      // STUB-DISPOSED-SENT: a disposed stub is sent all the same; the receiver's stub is disposed
      // too, so using it fails there (a callee's use rejects the call with a remote error).
      if (handle.disposed) {
        if (this.faults["disposed-stub-refused"]) throw new context.from.realm.intrinsics.errors.Error(DISPOSED_STUB); // fault disposed-stub-refused (STUB-DISPOSED-SENT)
        return this.#proxy(StubHandle.disposedOn(handle.target, context.to));
      }
      context.transferred?.push(handle);
      return this.#newStub(handle.target, context);
    }
    // BIND-PASSED-OVER-RPC: one of the sender's service bindings crosses as a stub whose calls go through it.
    if (isServiceBinding(value, context.from)) {
      if (this.faults["bindings-copied-empty"]) return undefined; // fault bindings-copied-empty (BIND-PASSED-OVER-RPC)
      return this.#newStub(this.#targetFor(value, context.from), context);
    }
    // SER-PROXY: a program's Proxy crosses by reference when its prototype chain makes it a plain
    // object or an RpcTarget; calls through the stub reach it as they would reach those.
    if (types.isProxy(value) && typeof value !== "function" && !this.faults["proxies-copied"]) {
      const proto = Object.getPrototypeOf(value) as object | null;
      const receiver = proto === context.from.realm.intrinsics.ObjectPrototype || value instanceof context.from.workersModule.RpcTarget;
      return receiver ? this.#newStub(this.#targetFor(value, context.from), context) : undefined;
    }
    if (typeof value === "function") {
      if (context.kind === "result" && this.faults["function-results-refused"]) return undefined; // fault function-results-refused (STUB-FUNCTION)
      if (context.kind === "arguments" && this.faults["function-arguments-refused"]) return undefined; // fault function-arguments-refused (STUB-FUNCTION-ARG)
      return this.#newStub(this.#targetFor(value, context.from), context);
    }
    // STUB-RPCTARGET: instances of classes extending RpcTarget cross by reference.
    if (value instanceof context.from.workersModule.RpcTarget) return this.#newStub(this.#targetFor(value, context.from), context);
    // SER-REJECT-ENTRYPOINT: a WorkerEntrypoint instance is not an RpcTarget; it is refused like any class instance.
    if (this.faults["entrypoints-as-stubs"] && value instanceof context.from.workersModule.WorkerEntrypoint) return this.#newStub(this.#targetFor(value, context.from), context); // fault entrypoints-as-stubs (SER-REJECT-ENTRYPOINT)
    return undefined;
  }

  /**
   * STUB-RPCSTUB-WRAP: `new RpcStub(value)` in `worker`: a stub whose holder and owner are both
   * that worker, so its calls copy arguments and results like any other stub's.
   * STUB-RPCSTUB-REFUSED: only plain objects, functions and RpcTargets can be wrapped.
   */
  wrapLocal(value: unknown, worker: LoadedWorker): object {
    const { TypeError } = worker.realm.intrinsics.errors;
    if ((typeof value !== "object" || value === null) && typeof value !== "function") {
      throw new TypeError("Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'Object'.");
    }
    const wrappable =
      typeof value === "function" || value instanceof worker.workersModule.RpcTarget || Object.getPrototypeOf(value) === worker.realm.intrinsics.ObjectPrototype;
    if (!wrappable && !this.faults["rpcstub-wraps-anything"]) throw new TypeError("RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives."); // fault rpcstub-wraps-anything (STUB-RPCSTUB-REFUSED)
    if (this.faults["rpcstub-returns-value"]) return value as object; // fault rpcstub-returns-value (STUB-RPCSTUB-WRAP)
    // STUB-RPCSTUB-DISPOSE: an ordinary handle, so disposing it (and its dups) releases the target.
    const target = this.#targetFor(value, worker);
    if (this.faults["rpcstub-leaks-target"]) target.retain(); // fault rpcstub-leaks-target (STUB-RPCSTUB-DISPOSE)
    return this.#proxy(new StubHandle(target, worker));
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
      // STUB-DISPOSED-SENT: dup() of a disposed (or transferred) stub throws at once, in workerd's words.
      if (handle.disposed && !this.faults["dup-disposed-works"]) throw new realm.intrinsics.errors.Error(`internal error; reference = ${internalErrorId()}`); // fault dup-disposed-works (STUB-DISPOSED-SENT)
      // STUB-DUP: an independent handle on the same target.
      return this.#proxy(new StubHandle(handle.target, handle.holder));
    });
    // STUB-SURFACE: callable, no own properties, an instance of the holder's RpcStub (not of Function).
    const surface = seams(realm, HANDLE_SEAMS);
    const target = surface.handleTarget(realm, handle.holder.workersModule.RpcStub.prototype);
    const faults = this.faults;
    const proxy: object = new Proxy(target, {
      get(target, key, receiver) {
        if (Object.hasOwn(target, key)) return Reflect.get(target, key, receiver); // what the holder stored on it
        if (key === Symbol.dispose) return dispose;
        if (key === "then") return undefined; // a stub is not a thenable
        // Symbols are never remote names: they read what RpcStub.prototype has (its string tag).
        if (typeof key === "symbol") return faults["handles-plain-prototype"] ? undefined : Reflect.get(Object.getPrototypeOf(target) ?? objectPrototype, key, receiver); // fault handles-plain-prototype (STUB-SURFACE)
        if (key === "dup") return dup;
        // STUB-SURFACE: JSON.stringify never reaches a remote toJSON; `constructor` is RpcStub.
        if (key === "toJSON" && isStringifying() && !faults["json-reads-remote-tojson"]) return undefined; // fault json-reads-remote-tojson (STUB-SURFACE)
        if (key in objectPrototype) return Reflect.get(faults["handles-plain-prototype"] ? objectPrototype : (Object.getPrototypeOf(target) ?? objectPrototype), key, receiver); // fault handles-plain-prototype (STUB-SURFACE)
        // STUB-SURFACE: array-index names ("0", "42") read as undefined, never as remote names.
        if (!surface.isRemoteName(key)) return undefined;
        return createRpcPath(realm, remote, [key]);
      },
      // STUB-SURFACE: `key in stub` says whether reading the key gives something.
      has(target, key) {
        return surface.has(target, key, () => Reflect.get(proxy, key));
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
    // STUB-TARGET-ERRORS: what the target throws reaches the holder as a thrown entrypoint error would.
    const remote = !this.faults["stub-errors-not-remote"]; // fault stub-errors-not-remote (STUB-TARGET-ERRORS)
    const fail: Settle = (error) => {
      sent?.release();
      reject(toCallerError(error, realm, { remote }));
      promise.catch(() => {});
    };
    const deliver: Settle = (value) => {
      // STUB-ECHO: the result is copied before the call's parameter stubs are released, so a
      // parameter returned (or returned inside an object) crosses back as a live stub.
      if (this.faults["params-released-before-result"]) sent?.release(); // fault params-released-before-result (STUB-ECHO)
      arrived.value = value;
      let copy: unknown;
      try {
        copy = this.copyResult(value, owner, holder);
      } catch (error) {
        sent?.release();
        reject(isDOMException(error) && error.name === "DataCloneError" ? cloneFailure(error, `returning the result of ${what()}`, true, realm) : toCallerError(error, realm));
        promise.catch(() => {});
        return;
      }
      sent?.release();
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
  pipeline(holder: LoadedWorker, owner: LoadedWorker, promise: Promise<unknown>, arrived: Arrival, rerun: () => unknown, via?: string): RemoteCaller {
    let root: Promise<unknown>;
    if (this.faults["pipeline-reruns-call"]) {
      root = Promise.resolve().then(rerun); // fault pipeline-reruns-call (PIPE-SAME-INSTANCE)
    } else if (this.faults["pipeline-failure-generic"]) {
      // fault pipeline-failure-generic (PIPE-FAILURE)
      root = promise.then(() => arrived.value, () => { throw new TypeError("the pipelined call's target failed"); });
    } else if (via !== undefined || this.faults["pipeline-ignores-send-failure"]) {
      // A path on a binding (`env.S.name.more`) is one call to the callee: the getter's value is
      // walked where it is and never sent, so failing to copy it does not fail the path.
      // PIPE-UNSENDABLE-RESULT: a call's result is different; see below.
      // fault pipeline-ignores-send-failure (PIPE-UNSENDABLE-RESULT): results are walked like a binding's getter.
      root = promise.then(() => arrived.value, (error: unknown) => {
        if ("value" in arrived) return arrived.value;
        throw error;
      });
    } else {
      // PIPE-UNSENDABLE-RESULT: names wait for the call's own outcome, so a result that could not be
      // sent fails them with the same error.
      root = promise.then(() => arrived.value);
    }
    root.catch(() => {});
    return new RemoteValue(this, holder, owner, { promise: root }, null, via);
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

  /** The name whose value the root is, when the root is a binding's property (PIPE-PATH-NON-PLAIN). */
  readonly #via: string | undefined;

  constructor(broker: StubBroker, holder: LoadedWorker, owner: LoadedWorker, root: Root, handle: StubHandle | null, via?: string) {
    this.#via = via;
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
      const failure = isDOMException(error) && error.name === "DataCloneError" ? cloneFailure(error, `sending the arguments of ${describePath(path)}`, false, this.#holder.realm) : error;
      return this.#broker.failed(this.#holder, this.#owner, rejected(this.#holder, failure));
    }
    const owner = this.#owner;
    const start = this.#from((value) => invoke(owner, value, path, sent.values, this.faults, this.#via));
    return this.#broker.result(this.#holder, owner, start, sent, () => describePath(path));
  }

  getPath(path: readonly string[]): Promise<unknown> {
    const disposed = this.#disposedError();
    if (disposed) return disposed;
    const owner = this.#owner;
    const start = this.#from((value) => {
      refuseDup(path, this.faults);
      return navigate(owner, value, path, this.faults, this.#via);
    });
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

/**
 * BIND-PASSED-OVER-RPC: the service bindings in `worker`'s env. Read once the env is complete (the
 * first time a binding could be sent), then kept.
 */
const bindingsByWorker = new WeakMap<LoadedWorker, Set<unknown>>();
function isServiceBinding(value: object, worker: LoadedWorker): boolean {
  let bindings = bindingsByWorker.get(worker);
  if (bindings === undefined) bindingsByWorker.set(worker, (bindings = new Set(Object.values(worker.env))));
  return bindings.has(value);
}

/**
 * STUB-RESERVED-DUP: a path past a stub that ends with `dup` is refused, whatever is there (an
 * entrypoint's other reserved names are ordinary names on RpcTargets and plain objects).
 */
function refuseDup(path: readonly string[], faults: FaultSwitches): void {
  if (path[path.length - 1] === "dup" && !faults["dup-dispatched-past-stubs"]) throw new TypeError("'dup' is a reserved method and cannot be called over RPC."); // fault dup-dispatched-past-stubs (STUB-RESERVED-DUP)
}

/** BIND-PASSED-OVER-RPC: a path on a binding sent as a stub is the same path on the binding itself. */
function throughBinding(binding: object, path: readonly string[], args: unknown[] | null): unknown {
  let holder: any;
  let value: any = binding;
  for (const name of path) {
    holder = value;
    value = value[name];
  }
  // With its holder as `this`: a binding's fetch and connect are its class's methods.
  return args === null ? value : Reflect.apply(value, holder, args);
}

/** Call the member at `path` of `root` (the root itself when the path is empty), `this` being its holder. */
function invoke(owner: LoadedWorker, root: unknown, path: readonly string[], args: unknown[], faults: FaultSwitches, via: string | undefined): unknown {
  if (path.length > 0 && isObjectLike(root) && isServiceBinding(root, owner)) return throughBinding(root, path, args);
  refuseDup(path, faults);
  noteUnscopedEntry(owner.realm); // CTX-FLOATING-CANCELLED: a call on a stub runs in no call's scope here
  if (path.length === 0) {
    // PIPE-CALL-RESULT: calling a stub or a result that is not a function; workerd names the receiver "(this)".
    if (typeof root !== "function") throw new TypeError('"(this)" is not a function.');
    return (root as (...a: unknown[]) => unknown)(...args);
  }
  const holder = navigate(owner, root, path.slice(0, -1), faults, via);
  const name = path[path.length - 1]!;
  const fn = member(owner, holder, path, path.length - 1, faults, via);
  if (typeof fn !== "function") throw new TypeError(`"${name}" is not a function.`);
  // PIPE-PATH-THIS: the function runs with the object that holds it as `this`.
  if (faults["path-this-lost"] && !(holder instanceof owner.workersModule.RpcTarget)) return (fn as (...a: unknown[]) => unknown)(...args); // fault path-this-lost (PIPE-PATH-THIS)
  return (fn as (...a: unknown[]) => unknown).apply(holder, args);
}

/** `via` is the name that led to `root`, when there was one (a binding's getter): errors may name it. */
function navigate(owner: LoadedWorker, root: unknown, path: readonly string[], faults: FaultSwitches, via: string | undefined): unknown {
  if (path.length > 0 && isObjectLike(root) && isServiceBinding(root, owner)) return throughBinding(root, path, null);
  let value = root;
  for (let i = 0; i < path.length; i++) value = member(owner, value, path, i, faults, via);
  return value;
}

/**
 * What `path[i]` reaches on `holder`, as the callee's runtime sees it. STUB-RPCTARGET: on an
 * RpcTarget, the visibility of entrypoints (prototype chain up to RpcTarget, own properties
 * never); on a function or plain data, its own properties.
 */
function member(owner: LoadedWorker, holder: unknown, path: readonly string[], i: number, faults: FaultSwitches, via: string | undefined): unknown {
  const name = path[i]!;
  const holderName = i > 0 ? path[i - 1]! : (via ?? name);
  if ((typeof holder !== "object" && typeof holder !== "function") || holder === null) {
    // PIPE-NON-OBJECT: a primitive has no members. workerd names the name that led to the
    // primitive, or the first name when the result itself is the primitive.
    if (faults["pipeline-primitive-undefined"]) return undefined; // fault pipeline-primitive-undefined (PIPE-NON-OBJECT)
    throw notImplemented(holderName);
  }
  if (holder instanceof owner.workersModule.RpcTarget) {
    if (Object.hasOwn(holder, name)) {
      if (faults["rpctarget-own-properties-visible"]) return (holder as Record<string, unknown>)[name]; // fault rpctarget-own-properties-visible (STUB-RPCTARGET)
      throw notImplemented(name);
    }
    const found = findOnPrototypes(Object.getPrototypeOf(holder) as object, name, rpcTargetStops(owner), false);
    if (found === null) {
      // STUB-RPCTARGET-HIDDEN: only the prototype chain is searched, so statics (on the classes)
      // and #private members (not properties at all) are never found.
      const statics = (holder as { constructor?: unknown }).constructor as Record<string, unknown> | undefined;
      if (faults["rpctarget-statics-reachable"] && typeof statics === "function" && name in statics) return statics[name]; // fault rpctarget-statics-reachable (STUB-RPCTARGET-HIDDEN)
      throw notImplemented(name);
    }
    return read(found, holder, name);
  }
  // PIPE-PATH-NON-PLAIN: besides RpcTargets, only functions and plain objects can be walked into;
  // an array, Map, Date, class instance… is named as the receiver that lacks the next name.
  const plain = typeof holder === "function" || Object.getPrototypeOf(holder) === owner.realm.intrinsics.ObjectPrototype;
  if (!plain && !faults["path-through-any-object"]) throw notImplemented(holderName); // fault path-through-any-object (PIPE-PATH-NON-PLAIN)
  const descriptor = Object.getOwnPropertyDescriptor(holder, name);
  if (descriptor === undefined) throw notImplemented(name);
  // PIPE-PATH-THIS: an own accessor is run, with its object as `this`.
  return "value" in descriptor ? descriptor.value : descriptor.get?.call(holder);
}

const stopsByWorker = new WeakMap<LoadedWorker, Set<object>>();
function rpcTargetStops(owner: LoadedWorker): Set<object> {
  let stops = stopsByWorker.get(owner);
  if (stops === undefined) stopsByWorker.set(owner, (stops = new Set([owner.workersModule.RpcTarget.prototype, owner.realm.intrinsics.ObjectPrototype])));
  return stops;
}
