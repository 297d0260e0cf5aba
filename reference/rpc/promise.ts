/**
 * The caller-side values of an RPC: what `env.S.method`, `env.S.method(...)` and the names read
 * on them evaluate to.
 *
 * Both are callable proxies that are also thenable, because workerd's are:
 * - an RPC property (`env.S.add`, `stub.a.b`) is a path of names not yet sent anywhere: calling it
 *   makes a call, awaiting it reads the property remotely, and awaiting it again reads it again
 *   (CALL-LAZY-PROPERTY);
 * - a call result (`env.S.add(1, 2)`) is not a `Promise` instance but has `then`, `catch` and
 *   `finally` (CALL-THENABLE-NOT-PROMISE), and any other name read on it is a path into the result
 *   that has not arrived yet: `env.S.make().next()` is sent to the callee's result where it lives
 *   (PIPE-METHOD, PIPE-PROPERTY-PATH).
 * Names of `Object.prototype` resolve locally so that `String(p)` works.
 *
 * Nothing here talks to a callee directly; it goes through a {@link RemoteCaller}: the binding
 * (`binding.ts`), a stub or a pipelined result (`stubs.ts`).
 */
import { HANDLE_SEAMS } from "./names.ts";
import type { Realm } from "../loading/realm.ts";
import { seams } from "../seams.ts";
import { registerThenable } from "./handle-classes.ts";

/** Something names can be called or read on, remotely: a binding, a stub, a result not yet arrived. */
export interface RemoteCaller {
  /** Call the member at `path` with `args` (already the caller's values); never throws. */
  callPath(path: readonly string[], args: unknown[]): unknown;
  /** Read the member at `path`; a fresh read every time. */
  getPath(path: readonly string[]): Promise<unknown>;
}

/**
 * What a call knows of its result: the callee-side value (kept for pipelining, `stubs.ts`) and,
 * once the caller's promise is resolved, the caller-side copy it was resolved with.
 */
export interface Arrival {
  value?: unknown;
  delivered?: boolean;
  copy?: unknown;
}

/** PIPE-DEPTH-LIMIT: the longest path of names workerd accepts (its message says "max 64"). */
const MAX_PATH_NAMES = 65;

/**
 * The traps of {@link ThenableHandler} that only give the target its surface before passing the
 * operation on, and then remove themselves.
 */
const LAZY_TRAPS = ["getPrototypeOf", "setPrototypeOf", "preventExtensions", "deleteProperty", "ownKeys", "getOwnPropertyDescriptor", "defineProperty", "set"] as const;

type Fulfilled = (value: unknown) => unknown;
type Rejected = (reason: unknown) => unknown;

abstract class ThenableHandler implements ProxyHandler<() => unknown> {
  protected readonly objectPrototype: object;
  /** STUB-SURFACE: the prototype of the handle's class (RpcPromise, RpcProperty), if the realm has one. */
  readonly classPrototype: object | undefined;
  protected readonly steps: typeof RPC_PROMISE_SEAMS;
  readonly #handle: typeof HANDLE_SEAMS;

  constructor(realm: Realm, kind: "RpcPromise" | "RpcProperty") {
    this.objectPrototype = realm.intrinsics.ObjectPrototype;
    this.steps = seams(realm, RPC_PROMISE_SEAMS);
    this.#handle = seams(realm, HANDLE_SEAMS);
    this.classPrototype = this.#handle.classPrototype(realm, kind);
  }

  /** A name that is neither then/catch/finally nor local: a path into the remote value, or undefined. */
  protected abstract name(key: string): unknown;

  /** What then/catch/finally do on this handle (the class's shared methods call this). */
  abstract thenable(key: "then" | "catch" | "finally"): unknown;

  /** A symbol-keyed member: none, except where a subclass says otherwise. */
  protected symbol(_key: symbol): unknown {
    return undefined;
  }

  /**
   * STUB-SURFACE, given lazily: the target starts as a plain arrow function, and the surface a
   * handle shows (callable, no own properties, an ordinary object's prototype: not `instanceof
   * Function`) is given to it by the first trap that could observe the difference. Performance:
   * giving it eagerly cost about 0.4 µs per handle, two handles per call, more than the rest of a
   * call's own work.
   */
  #bare = false;
  #bareTarget(target: () => unknown): () => unknown {
    if (!this.#bare) {
      this.#bare = true;
      this.#handle.bareSurface(target, this.classPrototype ?? this.objectPrototype);
      // From now on every such operation reaches the target as if these traps were not there
      // (so a failing one throws the engine's own message, not the trap's).
      for (const trap of LAZY_TRAPS) Object.defineProperty(this, trap, { value: undefined });
    }
    return target;
  }

  getPrototypeOf(target: () => unknown): object | null {
    return Reflect.getPrototypeOf(this.#bareTarget(target));
  }
  setPrototypeOf(target: () => unknown, proto: object | null): boolean {
    return Reflect.setPrototypeOf(this.#bareTarget(target), proto);
  }
  preventExtensions(target: () => unknown): boolean {
    return Reflect.preventExtensions(this.#bareTarget(target));
  }
  getOwnPropertyDescriptor(target: () => unknown, key: string | symbol): PropertyDescriptor | undefined {
    return Reflect.getOwnPropertyDescriptor(this.#bareTarget(target), key);
  }
  defineProperty(target: () => unknown, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    return Reflect.defineProperty(this.#bareTarget(target), key, descriptor);
  }
  deleteProperty(target: () => unknown, key: string | symbol): boolean {
    return Reflect.deleteProperty(this.#bareTarget(target), key);
  }
  ownKeys(target: () => unknown): (string | symbol)[] {
    return Reflect.ownKeys(this.#bareTarget(target));
  }
  set(target: () => unknown, key: string | symbol, value: unknown, receiver: unknown): boolean {
    return Reflect.set(this.#bareTarget(target), key, value, receiver);
  }

  get(target: () => unknown, key: string | symbol, receiver: unknown): unknown {
    // Until the target is bare, its only own keys are the arrow function's length and name.
    if (this.#bare && Object.hasOwn(target, key)) return Reflect.get(target, key, receiver); // what the holder stored on it
    const proto = this.classPrototype;
    if (key === "then" || key === "catch" || key === "finally") return proto ? Reflect.get(proto, key, receiver) : this.thenable(key);
    if (typeof key === "symbol") return this.symbol(key) ?? (proto ? Reflect.get(proto, key, receiver) : undefined);
    if (key in this.objectPrototype) return Reflect.get(proto ?? this.objectPrototype, key, receiver);
    // STUB-SURFACE: array-index names ("0", "42") are not names on a thenable: nothing to pipeline;
    // nor is toJSON while JSON.stringify runs (it never reaches a remote toJSON).
    if (!this.#handle.isRemoteName(key)) return undefined;
    return this.name(key);
  }

  /** STUB-SURFACE: `key in thenable` says whether reading the key gives something. */
  has(target: () => unknown, key: string | symbol): boolean {
    return this.#handle.has(this.#bareTarget(target), key, () => this.get(target, key, target));
  }
}

/** The result of a call: then/catch/finally of one promise, bound once so `p.then === p.then`. */
class RpcPromiseHandler extends ThenableHandler {
  readonly #realm: Realm;
  readonly #promise: Promise<unknown>;
  readonly #pipeline: (() => RemoteCaller) | undefined;
  readonly #arrival: Arrival | undefined;
  #remote?: RemoteCaller;
  #then?: unknown;
  #catch?: unknown;
  #finally?: unknown;
  #dispose?: unknown;
  /** CALL-PROMISE-DISPOSE: set by `[Symbol.dispose]()`. */
  #disposed = false;

  constructor(realm: Realm, promise: Promise<unknown>, pipeline: (() => RemoteCaller) | undefined, arrival: Arrival | undefined) {
    super(realm, "RpcPromise");
    this.#realm = realm;
    this.#promise = promise;
    this.#pipeline = pipeline;
    this.#arrival = arrival;
  }

  protected override symbol(key: symbol): unknown {
    if (key !== Symbol.dispose) return undefined;
    return (this.#dispose ??= () => this.#disposeOnce());
  }

  /**
   * CALL-PROMISE-DISPOSE: names pipelined from now on reject, and the stubs in the result are
   * disposed (the result's own `[Symbol.dispose]`, STUB-RESULT-DISPOSE), now or when it arrives.
   */
  #disposeOnce(): void {
    if (this.#disposed || this.#pipeline === undefined) return;
    this.#disposed = this.steps.disposeCall(this.#promise, this.#arrival);
  }

  thenable(key: "then" | "catch" | "finally"): unknown {
    switch (key) {
      case "then":
        return (this.#then ??= this.#promise.then.bind(this.#promise));
      case "catch":
        return (this.#catch ??= this.#promise.catch.bind(this.#promise));
      case "finally":
        return (this.#finally ??= this.#promise.finally.bind(this.#promise));
    }
  }

  protected name(key: string): unknown {
    if (this.#pipeline === undefined) return undefined;
    // PIPE-METHOD: a name on a result not yet arrived is a path into that result.
    return this.steps.extendPath(this.#realm, this.#target(this.#pipeline), [], key);
  }

  /** PIPE-CALL-RESULT: calling the thenable calls the result itself. */
  apply(_target: () => unknown, _thisArg: unknown, args: unknown[]): unknown {
    if (this.#pipeline === undefined) return undefined;
    return this.steps.callPath(this.#realm, this.#target(this.#pipeline), [], undefined, args);
  }

  /** What names and calls on this thenable reach: the result, or nothing once disposed or known to be a primitive. */
  #target(pipeline: () => RemoteCaller): RemoteCaller {
    const remote = (this.#remote ??= pipeline());
    // CALL-PROMISE-DISPOSE: a disposed thenable has no pipeline left.
    if (this.#disposed) return failingRemote(this.#realm, "Error", "RPC promise used after being disposed.");
    return this.steps.pipelineTarget(this.#realm, remote, this.#arrival);
  }
}

/** A path of names on a remote value: call it, await it, or read further names on it. */
class RpcPathHandler extends ThenableHandler {
  readonly #realm: Realm;
  readonly #remote: RemoteCaller;
  readonly #path: readonly string[];
  readonly #read: () => Promise<unknown>;
  #then?: unknown;
  #catch?: unknown;
  #finally?: unknown;

  constructor(realm: Realm, remote: RemoteCaller, path: readonly string[]) {
    super(realm, "RpcProperty");
    this.#realm = realm;
    this.#remote = remote;
    this.#path = path;
    this.#read = this.steps.pathReader(remote, path);
  }

  thenable(key: "then" | "catch" | "finally"): unknown {
    switch (key) {
      case "then":
        return (this.#then ??= (onFulfilled?: Fulfilled, onRejected?: Rejected) => this.#read().then(onFulfilled, onRejected));
      case "catch":
        return (this.#catch ??= (onRejected?: Rejected) => this.#read().catch(onRejected));
      case "finally":
        return (this.#finally ??= (onFinally?: () => void) => this.#read().finally(onFinally));
    }
  }

  protected name(key: string): unknown {
    return this.steps.extendPath(this.#realm, this.#remote, this.#path, key);
  }

  apply(_target: () => unknown, thisArg: unknown, args: unknown[]): unknown {
    return this.steps.callPath(this.#realm, this.#remote, this.#path, thisArg, args);
  }
}

/** How call thenables and property paths behave: the steps a broken variant may replace (seams.ts). */
export const RPC_PROMISE_SEAMS = { extendPath, callPath, pathReader, pipelineTarget, disposeCall };

/**
 * PIPE-METHOD, PIPE-PROPERTY-PATH: a name read on a path (`[]` for a call's thenable) extends it.
 * PIPE-DEPTH-LIMIT: a path holds at most 65 names; reading one more throws at once.
 */
function extendPath(realm: Realm, remote: RemoteCaller, path: readonly string[], key: string): unknown {
  if (path.length >= MAX_PATH_NAMES) throw new realm.intrinsics.errors.TypeError("RPC pipelined property path is too deep (max 64).");
  return createRpcPath(realm, remote, [...path, key]);
}

/**
 * Calling a path (`[]`: the call's thenable itself, PIPE-CALL-RESULT). CALL-DETACHED: the path
 * knows its target; how it was reached (`thisArg`) does not matter.
 */
function callPath(_realm: Realm, remote: RemoteCaller, path: readonly string[], _thisArg: unknown, args: unknown[]): unknown {
  return remote.callPath(path, args);
}

/** CALL-LAZY-PROPERTY: nothing is sent until the property is awaited, and each await reads afresh. */
function pathReader(remote: RemoteCaller, path: readonly string[]): () => Promise<unknown> {
  return () => remote.getPath(path);
}

/** PIPE-AFTER-RESOLVE: once a primitive result has been delivered, there is nothing to pipeline on. */
function pipelineTarget(realm: Realm, remote: RemoteCaller, arrival: Arrival | undefined): RemoteCaller {
  if (arrival?.delivered && !isObjectLike(arrival.copy)) return failingRemote(realm, "TypeError", "Can't pipeline on RPC that did not return an object.");
  return remote;
}

/**
 * CALL-PROMISE-DISPOSE: dispose the stubs in a call's result (STUB-RESULT-DISPOSE), now or when it
 * arrives; true: the thenable counts as disposed, so names pipelined from now on reject.
 */
function disposeCall(promise: Promise<unknown>, arrival: Arrival | undefined): boolean {
  if (arrival?.delivered) disposeResult(arrival.copy);
  else promise.then(disposeResult, () => {});
  return true;
}

/**
 * The result of a call: thenable over `promise` (a promise of the caller's realm); `pipeline`
 * makes names on it paths into the result; `arrival` says whether the result has been delivered.
 */
export function createRpcPromise(realm: Realm, promise: Promise<unknown>, pipeline?: () => RemoteCaller, arrival?: Arrival): unknown {
  const handler = new RpcPromiseHandler(realm, promise, pipeline, arrival);
  const proxy = new Proxy(realm.newCallable(true), handler);
  registerThenable(proxy, handler);
  return proxy;
}

/** Dispose what a call gave the caller: a stub, or an object holding stubs (STUB-RESULT-DISPOSE). */
function disposeResult(copy: unknown): void {
  if ((typeof copy !== "object" && typeof copy !== "function") || copy === null) return;
  const dispose = (copy as { [Symbol.dispose]?: unknown })[Symbol.dispose];
  if (typeof dispose === "function") dispose.call(copy);
}

function isObjectLike(value: unknown): boolean {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** A remote that is not there: every call and read on it rejects with `className: message`. */
function failingRemote(realm: Realm, className: "Error" | "TypeError", message: string): RemoteCaller {
  const failure = () => {
    const promise = realm.intrinsics.Promise.reject(new realm.intrinsics.errors[className](message));
    promise.catch(() => {});
    return promise;
  };
  return {
    callPath: () => createRpcPromise(realm, failure()),
    getPath: failure,
  };
}

/** `env.S.name`: call it to call the method, await it to read the property. */
export function createRpcProperty(realm: Realm, remote: RemoteCaller, name: string): unknown {
  return createRpcPath(realm, remote, [name]);
}

/** `remote.a.b.c`, as a value of the caller's realm. */
export function createRpcPath(realm: Realm, remote: RemoteCaller, path: readonly string[]): unknown {
  const handler = new RpcPathHandler(realm, remote, path);
  const proxy = new Proxy(realm.newCallable(true), handler);
  registerThenable(proxy, handler);
  return proxy;
}
