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
import type { FaultSwitches } from "./faults.ts";
import type { Realm } from "./realm.ts";

/** Something names can be called or read on, remotely: a binding, a stub, a result not yet arrived. */
export interface RemoteCaller {
  readonly faults: FaultSwitches;
  /** Call the member at `path` with `args` (already the caller's values); never throws. */
  callPath(path: readonly string[], args: unknown[]): unknown;
  /** Read the member at `path`; a fresh read every time. */
  getPath(path: readonly string[]): Promise<unknown>;
}

type Fulfilled = (value: unknown) => unknown;
type Rejected = (reason: unknown) => unknown;

abstract class ThenableHandler implements ProxyHandler<() => unknown> {
  protected readonly objectPrototype: object;

  constructor(realm: Realm) {
    this.objectPrototype = realm.intrinsics.ObjectPrototype;
  }

  /** A name that is neither then/catch/finally nor local: a path into the remote value, or undefined. */
  protected abstract name(key: string): unknown;

  protected abstract thenable(key: "then" | "catch" | "finally"): unknown;

  get(_target: () => unknown, key: string | symbol, receiver: unknown): unknown {
    if (key === "then" || key === "catch" || key === "finally") return this.thenable(key);
    if (typeof key === "symbol") return undefined;
    if (key in this.objectPrototype) return Reflect.get(this.objectPrototype, key, receiver);
    return this.name(key);
  }
}

/** The result of a call: then/catch/finally of one promise, bound once so `p.then === p.then`. */
class RpcPromiseHandler extends ThenableHandler {
  readonly #realm: Realm;
  readonly #promise: Promise<unknown>;
  readonly #pipeline: (() => RemoteCaller) | undefined;
  #remote?: RemoteCaller;
  #then?: unknown;
  #catch?: unknown;
  #finally?: unknown;

  constructor(realm: Realm, promise: Promise<unknown>, pipeline: (() => RemoteCaller) | undefined) {
    super(realm);
    this.#realm = realm;
    this.#promise = promise;
    this.#pipeline = pipeline;
  }

  protected thenable(key: "then" | "catch" | "finally"): unknown {
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
    const remote = (this.#remote ??= this.#pipeline());
    if (remote.faults["no-pipelining"]) return undefined; // fault no-pipelining (PIPE-METHOD)
    // PIPE-METHOD: a name on a result not yet arrived is a path into that result.
    return createRpcPath(this.#realm, remote, [key]);
  }
}

/** A path of names on a remote value: call it, await it, or read further names on it. */
class RpcPathHandler extends ThenableHandler {
  readonly #realm: Realm;
  readonly #remote: RemoteCaller;
  readonly #path: readonly string[];
  #eager?: Promise<unknown>;
  #then?: unknown;
  #catch?: unknown;
  #finally?: unknown;

  constructor(realm: Realm, remote: RemoteCaller, path: readonly string[]) {
    super(realm);
    this.#realm = realm;
    this.#remote = remote;
    this.#path = path;
    if (remote.faults["eager-property"]) this.#eager = remote.getPath(path); // fault eager-property (CALL-LAZY-PROPERTY)
  }

  /** CALL-LAZY-PROPERTY: nothing is sent until the property is awaited, and each await reads afresh. */
  #read(): Promise<unknown> {
    return this.#eager ?? this.#remote.getPath(this.#path);
  }

  protected thenable(key: "then" | "catch" | "finally"): unknown {
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
    // PIPE-PROPERTY-PATH: names read on a path extend it.
    const path = this.#remote.faults["pipeline-path-truncated"] ? [key] : [...this.#path, key]; // fault pipeline-path-truncated (PIPE-PROPERTY-PATH)
    return createRpcPath(this.#realm, this.#remote, path);
  }

  apply(_target: () => unknown, thisArg: unknown, args: unknown[]): unknown {
    if (thisArg === undefined && this.#remote.faults["detached-method-fails"]) {
      // fault detached-method-fails (CALL-DETACHED): a method torn off its stub loses its target.
      const failed = this.#realm.intrinsics.Promise.reject(new this.#realm.intrinsics.errors.TypeError("Illegal invocation"));
      failed.catch(() => {});
      return createRpcPromise(this.#realm, failed);
    }
    // CALL-DETACHED: the path knows its target; how it was reached (`this`) does not matter.
    return this.#remote.callPath(this.#path, args);
  }
}

/** The result of a call: thenable over `promise` (a promise of the caller's realm); `pipeline` makes names on it paths into the result. */
export function createRpcPromise(realm: Realm, promise: Promise<unknown>, pipeline?: () => RemoteCaller): unknown {
  return new Proxy(realm.newCallable(), new RpcPromiseHandler(realm, promise, pipeline));
}

/** `env.S.name`: call it to call the method, await it to read the property. */
export function createRpcProperty(realm: Realm, remote: RemoteCaller, name: string): unknown {
  return createRpcPath(realm, remote, [name]);
}

/** `remote.a.b.c`, as a value of the caller's realm. */
export function createRpcPath(realm: Realm, remote: RemoteCaller, path: readonly string[]): unknown {
  return new Proxy(realm.newCallable(), new RpcPathHandler(realm, remote, path));
}
