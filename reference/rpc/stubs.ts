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
 *
 * The rules themselves (what crosses by reference, dispose, dup, the order of a call's steps, what
 * a name reaches on the owner's side) are the plain functions of {@link STUB_SEAMS}, called through
 * `seams()` (seams.ts) once per operation.
 */
import { findOnPrototypes, isThenable, notImplemented, read } from "./dispatcher.ts";
import { cloneFailure, sendFailure, toCallerError } from "./errors.ts";
import { isDOMException, type Realm, type WorkerRealm } from "../loading/realm.ts";
import { types } from "node:util";
import { createRpcPath, createRpcPromise } from "./promise.ts";
import { HANDLE_SEAMS } from "./names.ts";
import { seams } from "../seams.ts";
import type { Arrival, RemoteCaller } from "./promise.ts";
import type { Copier, CopyTally } from "../copy/serialize.ts";
import type { LoadedWorker } from "../loading/worker.ts";
import { madeCall, noteUnscopedEntry } from "./call-scope.ts";

type Settle = (value: unknown) => void;

const DISPOSED_STUB = "RPC stub used after being disposed.";

/** The id workerd puts in "internal error; reference = <id>" (26 characters of [0-9a-v]; any will do). */
function internalErrorId(): string {
  return Array.from({ length: 26 }, () => "0123456789abcdefghijklmnopqrstuv"[Math.floor(Math.random() * 32)]).join("");
}

/** A function or RpcTarget instance that stubs point at, in its owner's realm. */
export class StubTarget {
  readonly owner: LoadedWorker;
  readonly value: object;
  #handles = 0;

  constructor(owner: LoadedWorker, value: object) {
    this.owner = owner;
    this.value = value;
  }

  retain(): void {
    this.#handles++;
  }

  release(): void {
    if (--this.#handles > 0) return;
    seams(this.owner.realm, STUB_SEAMS).lastHandleGone(this.owner, this.value);
  }
}

/** One worker's handle on a target. */
export class StubHandle {
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

  dispose(): void {
    seams(this.holder.realm, STUB_SEAMS).dispose(this);
  }
}

/** Where a call or read on a remote value starts: the value itself, or a promise of it. */
type Root = { value: unknown } | { promise: Promise<unknown> };

/** What the copy under way is for: a call's arguments, or its result. */
export interface CopyContext {
  from: LoadedWorker;
  to: LoadedWorker;
  /** The top-level values sent: the arguments, or the one result. */
  values: readonly unknown[];
  kind: "arguments" | "result";
  /** Handles made for the receiver, to release when a call's arguments are done with. */
  made: StubHandle[];
  /** The sender's handles to dispose once the copy is done (transfer of ownership). */
  transferred: StubHandle[] | null;
  /** The stub rules for this copy, looked up once (seams.ts). */
  steps: typeof STUB_SEAMS;
}

/** A call's copied arguments, and how to let go of the stubs made for them. */
export interface SentArguments {
  values: unknown[];
  release(): void;
}

export class StubBroker {
  readonly #copier: Copier;
  /** The stub proxies of every realm, to their handles. */
  readonly #handles = new WeakMap<object, StubHandle>();
  /** One target per function or RpcTarget, so the same value always has the same handles. */
  readonly #targets = new WeakMap<object, StubTarget>();
  #context: CopyContext | null = null;

  constructor(copier: Copier) {
    this.#copier = copier;
  }

  // ---- copying -------------------------------------------------------------------------------

  /**
   * SER-COPY-ARGS with stubs: the arguments are copied into `to` now; functions and RpcTargets in
   * them become stubs held by `to`, released when the call is done (the callee must `dup()` what
   * it keeps).
   */
  copyArguments(args: unknown[], from: LoadedWorker, to: LoadedWorker): SentArguments {
    // The common case, primitives only, needs no copy context: nothing in it can be a stub.
    if (!args.some(isObjectLike)) return { values: this.#copier.copyArguments(args, to.realm), release: noop };
    const steps = seams(from.realm, STUB_SEAMS);
    const context: CopyContext = { from, to, values: args, kind: "arguments", made: [], transferred: steps.paramsTransfer(from) ? [] : null, steps };
    const values = this.#withContext(context, () => this.#copier.copyArguments(args, to.realm));
    for (const handle of context.transferred ?? []) handle.dispose();
    const made = context.made;
    return { values, release: made.length === 0 ? noop : () => steps.releaseParams(made) };
  }

  /** SER-COPY-RESULT with stubs; the result gets its `[Symbol.dispose]` (STUB-RESULT-DISPOSE). */
  copyResult(value: unknown, from: LoadedWorker, to: LoadedWorker, tally?: CopyTally): unknown {
    if (!isObjectLike(value)) return this.#copier.copy(value, to.realm);
    const steps = seams(from.realm, STUB_SEAMS);
    const context: CopyContext = { from, to, values: [value], kind: "result", made: [], transferred: null, steps };
    const copy = this.#withContext(context, () => this.#copier.copy(value, to.realm, tally === undefined ? undefined : { tally }));
    if (tally !== undefined) tally.stubs += context.made.length;
    // A stub is its own: its [Symbol.dispose] is the stub's.
    if (typeof copy === "object" && copy !== null && !this.#handles.has(copy)) steps.resultDispose(to, copy, context.made);
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
    const handle = this.#handles.get(value);
    if (handle !== undefined) {
      const forwarded = context.steps.forward(handle, context);
      return forwarded && this.#proxy(forwarded);
    }
    if (!context.steps.crossesByReference(value, context)) return undefined;
    return this.#proxy(newHandle(this.#targetFor(value, context.from), context));
  }

  /** `new RpcStub(value)` in `worker` (STUB-RPCSTUB-*). */
  wrapLocal(value: unknown, worker: LoadedWorker): object {
    return seams(worker.realm, STUB_SEAMS).newRpcStub(value, worker, (wrapped) => this.#proxy(new StubHandle(this.#targetFor(wrapped, worker), worker)));
  }

  #targetFor(value: object, owner: LoadedWorker): StubTarget {
    let target = this.#targets.get(value);
    if (target === undefined) this.#targets.set(value, (target = new StubTarget(owner, value)));
    return target;
  }

  /** The stub a worker sees for one handle: callable, not thenable, every other name remote. */
  #proxy(handle: StubHandle): object {
    const realm = handle.holder.realm;
    const remote = new RemoteValue(this, handle.holder, handle.target.owner, { value: handle.target.value }, handle);
    const objectPrototype = realm.intrinsics.ObjectPrototype;
    const dispose = realm.realmFunction("dispose", () => handle.dispose());
    const dup = realm.realmFunction("dup", () => this.#proxy(seams(realm, STUB_SEAMS).dup(handle)));
    // STUB-SURFACE: callable, no own properties, an instance of the holder's RpcStub (not of Function).
    const surface = seams(realm, HANDLE_SEAMS);
    const target = surface.handleTarget(realm, handle.holder.workersModule.RpcStub.prototype);
    const proxy: object = new Proxy(target, {
      get(target, key, receiver) {
        if (Object.hasOwn(target, key)) return Reflect.get(target, key, receiver); // what the holder stored on it
        if (key === Symbol.dispose) return dispose;
        if (key === "then") return undefined; // a stub is not a thenable
        // Symbols are never remote names: they read what RpcStub.prototype has (its string tag).
        if (typeof key === "symbol") return Reflect.get(Object.getPrototypeOf(target) ?? objectPrototype, key, receiver);
        if (key === "dup") return dup;
        // STUB-SURFACE: `constructor` is RpcStub.
        if (key in objectPrototype) return Reflect.get(Object.getPrototypeOf(target) ?? objectPrototype, key, receiver);
        // STUB-SURFACE: array-index names ("0", "42") read as undefined, never as remote names; JSON.stringify never reaches a remote toJSON.
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
    const steps = seams(realm, STUB_SEAMS);
    let resolve!: Settle;
    let reject!: Settle;
    const promise = new realm.intrinsics.Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // CTX-HUNG-CANCELLED: the call the holder's code made this under is not hung while it runs.
    madeCall(realm, promise);
    const arrived: Arrival = {};
    const fail: Settle = (error) => {
      sent?.release();
      reject(steps.targetError(error, realm));
      promise.catch(() => {});
    };
    const deliver: Settle = (value) => {
      arrived.value = value;
      let copy: unknown;
      try {
        // STUB-ECHO: the result is copied before the call's parameter stubs are released, so a
        // parameter returned (or returned inside an object) crosses back as a live stub.
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
    steps.schedule(() => {
      let value: unknown;
      try {
        value = start();
        if (isThenable(value)) return void value.then(deliver, fail);
      } catch (error) {
        return fail(error);
      }
      deliver(value);
    });
    return createRpcPromise(realm, promise, () => this.pipeline(holder, owner, promise, arrived, start), arrived);
  }

  /** A call that failed before it was sent: a thenable whose pipelined names fail the same way (PIPE-FAILURE). */
  failed(holder: LoadedWorker, owner: LoadedWorker, promise: Promise<unknown>): unknown {
    return createRpcPromise(holder.realm, promise, () => this.pipeline(holder, owner, promise, {}, () => promise));
  }

  /**
   * PIPE-METHOD, PIPE-SAME-INSTANCE: names read on a call's thenable go to the callee-side result
   * of that very call. `rerun` starts the call again (never, in this runtime; see STUB_SEAMS.pipelineRoot).
   */
  pipeline(holder: LoadedWorker, owner: LoadedWorker, promise: Promise<unknown>, arrived: Arrival, rerun: () => unknown, via?: string): RemoteCaller {
    const root = seams(holder.realm, STUB_SEAMS).pipelineRoot(promise, arrived, rerun, via);
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

  callPath(path: readonly string[], args: unknown[]): unknown {
    const disposed = this.#disposedError();
    if (disposed) return this.#broker.failed(this.#holder, this.#owner, disposed);
    let sent: SentArguments;
    try {
      sent = this.#broker.copyArguments(args, this.#holder, this.#owner);
    } catch (error) {
      const failure = sendFailure(error, `sending the arguments of ${describePath(path)}`, this.#holder.realm);
      return this.#broker.failed(this.#holder, this.#owner, rejected(this.#holder, failure));
    }
    const owner = this.#owner;
    const start = this.#from((value) => invoke(owner, value, path, sent.values, this.#via));
    return this.#broker.result(this.#holder, owner, start, sent, () => describePath(path));
  }

  getPath(path: readonly string[]): Promise<unknown> {
    const disposed = this.#disposedError();
    if (disposed) return disposed;
    const owner = this.#owner;
    const start = this.#from((value) => {
      const steps = seams(owner.realm, STUB_SEAMS);
      steps.refuseReserved(path);
      return navigate(steps, owner, value, path, this.#via);
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

/** A new handle on `target` for the receiver of the copy under way. */
function newHandle(target: StubTarget, context: CopyContext): StubHandle {
  const handle = new StubHandle(target, context.to);
  context.made.push(handle);
  return handle;
}

/**
 * BIND-PASSED-OVER-RPC: the service bindings in `worker`'s env. Read once the env is complete (the
 * first time a binding could be sent), then kept.
 */
const bindingsByWorker = new WeakMap<LoadedWorker, Set<unknown>>();
export function isServiceBinding(value: object, worker: LoadedWorker): boolean {
  let bindings = bindingsByWorker.get(worker);
  if (bindings === undefined) bindingsByWorker.set(worker, (bindings = new Set(Object.values(worker.env))));
  return bindings.has(value);
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
function invoke(owner: LoadedWorker, root: unknown, path: readonly string[], args: unknown[], via: string | undefined): unknown {
  if (path.length > 0 && isObjectLike(root) && isServiceBinding(root, owner)) return throughBinding(root, path, args);
  const steps = seams(owner.realm, STUB_SEAMS);
  steps.refuseReserved(path);
  noteUnscopedEntry(owner.realm); // CTX-FLOATING-CANCELLED: a call on a stub runs in no call's scope here
  if (path.length === 0) {
    // PIPE-CALL-RESULT: calling a stub or a result that is not a function; workerd names the receiver "(this)".
    if (typeof root !== "function") throw new TypeError('"(this)" is not a function.');
    return (root as (...a: unknown[]) => unknown)(...args);
  }
  const holder = navigate(steps, owner, root, path.slice(0, -1), via);
  const name = path[path.length - 1]!;
  const fn = steps.member(owner, holder, path, path.length - 1, via);
  if (typeof fn !== "function") throw new TypeError(`"${name}" is not a function.`);
  return steps.callMember(owner, fn as (...args: unknown[]) => unknown, holder, args);
}

/** `via` is the name that led to `root`, when there was one (a binding's getter): errors may name it. */
function navigate(steps: typeof STUB_SEAMS, owner: LoadedWorker, root: unknown, path: readonly string[], via: string | undefined): unknown {
  if (path.length > 0 && isObjectLike(root) && isServiceBinding(root, owner)) return throughBinding(root, path, null);
  let value = root;
  for (let i = 0; i < path.length; i++) value = steps.member(owner, value, path, i, via);
  return value;
}

const stopsByWorker = new WeakMap<LoadedWorker, Set<object>>();
function rpcTargetStops(owner: LoadedWorker): Set<object> {
  let stops = stopsByWorker.get(owner);
  if (stops === undefined) stopsByWorker.set(owner, (stops = new Set([owner.workersModule.RpcTarget.prototype, owner.realm.intrinsics.ObjectPrototype])));
  return stops;
}

// ---- the rules ------------------------------------------------------------------------------------

/** The stub rules: the steps a broken variant may replace (seams.ts). */
export const STUB_SEAMS = {
  dispose,
  lastHandleGone,
  disposerOf,
  dup,
  newRpcStub,
  paramsTransfer,
  releaseParams,
  resultDispose,
  forward,
  crossesByReference,
  targetError,
  schedule,
  pipelineRoot,
  refuseReserved,
  member,
  callMember,
};

/** STUB-DISPOSE: disposing a handle makes its stub unusable and lets go of the target (once). */
function dispose(handle: StubHandle): void {
  if (handle.disposed) return;
  handle.disposed = true;
  handle.target.release();
}

/**
 * STUB-RPCTARGET-DISPOSER: when the last handle on a target goes, the target's own disposer runs,
 * later. STUB-SAME-TARGET: it runs again each time a later call's handles on it are all gone.
 */
function lastHandleGone(owner: LoadedWorker, value: object): void {
  const disposer = seams(owner.realm, STUB_SEAMS).disposerOf(value);
  if (typeof disposer !== "function") return;
  queueMicrotask(() => {
    try {
      disposer.call(value);
    } catch (error) {
      owner.realm.log(`[reference] worker "${owner.name}": a disposer threw: ${String(error)}`);
    }
  });
}

/** STUB-ASYNC-DISPOSE-IGNORED: only [Symbol.dispose] is a disposer; [Symbol.asyncDispose] is never called. */
function disposerOf(value: object): unknown {
  return (value as Record<symbol, unknown>)[Symbol.dispose];
}

/**
 * STUB-DUP: `stub.dup()` is an independent handle on the same target. STUB-DISPOSED-SENT: dup() of
 * a disposed (or transferred) stub throws at once, in workerd's words.
 */
function dup(handle: StubHandle): StubHandle {
  if (handle.disposed) throw new handle.holder.realm.intrinsics.errors.Error(`internal error; reference = ${internalErrorId()}`);
  return new StubHandle(handle.target, handle.holder);
}

/**
 * STUB-RPCSTUB-WRAP: `new RpcStub(value)` in `worker` is `stubOf(value)`: a stub whose holder and
 * owner are both that worker, so its calls copy arguments and results like any other stub's.
 * STUB-RPCSTUB-DISPOSE: an ordinary handle, so disposing it (and its dups) releases the target.
 * STUB-RPCSTUB-REFUSED: only plain objects, functions and RpcTargets can be wrapped.
 */
function newRpcStub(value: unknown, worker: LoadedWorker, stubOf: (value: object) => object): object {
  const { TypeError } = worker.realm.intrinsics.errors;
  if (!isObjectLike(value)) throw new TypeError("Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'Object'.");
  const wrappable = typeof value === "function" || value instanceof worker.workersModule.RpcTarget || Object.getPrototypeOf(value) === worker.realm.intrinsics.ObjectPrototype;
  if (!wrappable) throw new TypeError("RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.");
  return stubOf(value);
}

/**
 * STUB-PARAM-OWNERSHIP: under `rpc_params_dup_stubs` the caller keeps the stubs it passes; before
 * it, sending them transfers them (the caller's are disposed).
 */
function paramsTransfer(from: LoadedWorker): boolean {
  return !from.paramsDupStubs;
}

/** STUB-PARAMS-RELEASED: when the call returns, the stubs made for its arguments are disposed. */
function releaseParams(made: readonly StubHandle[]): void {
  for (const handle of made) handle.dispose();
}

/**
 * STUB-RESULT-DISPOSE: every object a call resolves to (not the objects inside it, and not a stub)
 * gets an own non-enumerable `[Symbol.dispose]` that disposes every stub in it (`made`), and does
 * nothing when it holds none.
 */
function resultDispose(to: LoadedWorker, copy: object, made: readonly StubHandle[]): void {
  const disposeAll = to.realm.realmFunction("", () => {
    for (const handle of made) handle.dispose();
  });
  Object.defineProperty(copy, Symbol.dispose, { value: disposeAll, writable: true, configurable: true, enumerable: false });
}

/**
 * STUB-FORWARD: a stub passed on reaches the same target, wherever it lives: the receiver gets a
 * handle of its own (undefined would refuse it). STUB-DISPOSED-SENT: a disposed stub is sent all
 * the same; the receiver's stub is disposed too, so using it fails there (a callee's use rejects
 * the call with a remote error).
 */
function forward(handle: StubHandle, context: CopyContext): StubHandle | undefined {
  if (handle.disposed) return StubHandle.disposedOn(handle.target, context.to);
  context.transferred?.push(handle);
  return newHandle(handle.target, context);
}

/** Whether `value` (not a stub) crosses by reference, as a new stub on it; if not, the copier copies or refuses it. */
function crossesByReference(value: object, context: CopyContext): boolean {
  const { from } = context;
  // BIND-PASSED-OVER-RPC: one of the sender's service bindings crosses as a stub whose calls go through it.
  if (isServiceBinding(value, from)) return true;
  // STUB-FUNCTION, STUB-FUNCTION-ARG, STUB-NESTED: functions, in arguments and results, at any depth.
  if (typeof value === "function") return true;
  // SER-PROXY: a program's Proxy crosses by reference when its prototype chain makes it a plain
  // object or an RpcTarget; calls through the stub reach it as they would reach those.
  if (types.isProxy(value) && Object.getPrototypeOf(value) === from.realm.intrinsics.ObjectPrototype) return true;
  // STUB-RPCTARGET: instances of classes extending RpcTarget cross by reference.
  // SER-REJECT-ENTRYPOINT: a WorkerEntrypoint instance is not an RpcTarget; it is refused like any class instance.
  return value instanceof from.workersModule.RpcTarget;
}

/** STUB-TARGET-ERRORS: what a stub's target throws reaches the holder as a thrown entrypoint error would. */
function targetError(error: unknown, holder: Realm): object {
  return toCallerError(error, holder);
}

/** CALL-E-ORDER: every call starts from the one microtask queue, so calls start in the order made. */
function schedule(run: () => void): void {
  queueMicrotask(run);
}

/**
 * What names pipelined on a call's thenable reach. PIPE-SAME-INSTANCE: the callee-side result of
 * that very call (`rerun` would make it again; it is never used). PIPE-FAILURE: if the call failed,
 * they fail with its error. PIPE-UNSENDABLE-RESULT: they wait for the call's own outcome, so a
 * result that could not be sent fails them with the same error. A path on a binding
 * (`env.S.name.more`, `via` = name) is different: it is one call to the callee, the getter's value
 * is walked where it is and never sent, so failing to copy it does not fail the path.
 */
function pipelineRoot(promise: Promise<unknown>, arrived: Arrival, _rerun: () => unknown, via: string | undefined): Promise<unknown> {
  if (via === undefined) return promise.then(() => arrived.value);
  return promise.then(
    () => arrived.value,
    (error: unknown) => {
      if ("value" in arrived) return arrived.value;
      throw error;
    },
  );
}

/**
 * STUB-RESERVED-DUP: a path past a stub that ends with `dup` is refused, whatever is there (an
 * entrypoint's other reserved names are ordinary names on RpcTargets and plain objects).
 */
function refuseReserved(path: readonly string[]): void {
  if (path[path.length - 1] === "dup") throw new TypeError("'dup' is a reserved method and cannot be called over RPC.");
}

/**
 * What `path[i]` reaches on `holder`, as the callee's runtime sees it. STUB-RPCTARGET: on an
 * RpcTarget, the visibility of entrypoints (prototype chain up to RpcTarget, own properties
 * never); on a function or plain data, its own properties.
 */
function member(owner: LoadedWorker, holder: unknown, path: readonly string[], i: number, via: string | undefined): unknown {
  const name = path[i]!;
  const holderName = i > 0 ? path[i - 1]! : (via ?? name);
  // PIPE-NON-OBJECT: a primitive has no members. workerd names the name that led to the
  // primitive, or the first name when the result itself is the primitive.
  if (!isObjectLike(holder)) throw notImplemented(holderName);
  if (holder instanceof owner.workersModule.RpcTarget) {
    if (Object.hasOwn(holder, name)) throw notImplemented(name);
    // STUB-RPCTARGET-HIDDEN: only the prototype chain is searched, so statics (on the classes)
    // and #private members (not properties at all) are never found.
    const found = findOnPrototypes(Object.getPrototypeOf(holder) as object, name, rpcTargetStops(owner), false);
    if (found === null) throw notImplemented(name);
    return read(found, holder, name);
  }
  // PIPE-PATH-NON-PLAIN: besides RpcTargets, only functions and plain objects can be walked into;
  // an array, Map, Date, class instance… is named as the receiver that lacks the next name.
  if (typeof holder !== "function" && Object.getPrototypeOf(holder) !== owner.realm.intrinsics.ObjectPrototype) throw notImplemented(holderName);
  return ownMember(holder, name);
}

/** An own property of a plain object or function; PIPE-PATH-THIS: an own accessor is run, with its object as `this`. */
export function ownMember(holder: object, name: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(holder, name);
  if (descriptor === undefined) throw notImplemented(name);
  return "value" in descriptor ? descriptor.value : descriptor.get?.call(holder);
}

/** PIPE-PATH-THIS: the function at the end of a path runs with the object that holds it as `this`. */
function callMember(_owner: LoadedWorker, fn: (...args: unknown[]) => unknown, holder: unknown, args: unknown[]): unknown {
  return Reflect.apply(fn, holder, args);
}
