/**
 * The caller-side values of an RPC: what `env.S.method` and `env.S.method(...)` evaluate to.
 *
 * Both are callable proxies that are also thenable, because workerd's are:
 * - an RPC property (`env.S.add`) is called to make a call, and awaited to read the property
 *   remotely (`await env.S.g` runs getter `g` on a fresh instance);
 * - a call result (`env.S.add(1, 2)`) is not a `Promise` instance but has `then`, `catch` and
 *   `finally`, and `typeof` says "function".
 * Being proxies rather than promises is what will let pipelining in: `env.S.make().next()` will
 * resolve names on the result before it arrives. Until then, other names read as undefined.
 *
 * Nothing here talks to the callee directly; it goes through a {@link RemoteCaller} (the binding).
 */
import type { Realm } from "./realm.ts";

/** The binding as seen from a property: make a call, or read a property. */
export interface RemoteCaller {
  call(name: string, args: unknown[]): unknown;
  get(name: string): Promise<unknown>;
}

/** then/catch/finally of an underlying promise, obtained once and bound, so `p.then === p.then`. */
abstract class ThenableHandler implements ProxyHandler<() => unknown> {
  readonly #objectPrototype: object;
  #then?: Promise<unknown>["then"];
  #catch?: Promise<unknown>["catch"];
  #finally?: Promise<unknown>["finally"];

  constructor(realm: Realm) {
    this.#objectPrototype = realm.intrinsics.ObjectPrototype;
  }

  protected abstract promise(): Promise<unknown>;

  get(_target: () => unknown, key: string | symbol, receiver: unknown): unknown {
    switch (key) {
      case "then":
        return (this.#then ??= bindMethod(this.promise(), "then"));
      case "catch":
        return (this.#catch ??= bindMethod(this.promise(), "catch"));
      case "finally":
        return (this.#finally ??= bindMethod(this.promise(), "finally"));
      default:
        // Object.prototype names resolve locally (so `String(p)` works); the rest is for
        // pipelining, a later issue.
        return key in this.#objectPrototype ? Reflect.get(this.#objectPrototype, key, receiver) : undefined;
    }
  }
}

function bindMethod<K extends "then" | "catch" | "finally">(promise: Promise<unknown>, key: K): Promise<unknown>[K] {
  return (promise[key] as (...args: unknown[]) => unknown).bind(promise) as Promise<unknown>[K];
}

class RpcPromiseHandler extends ThenableHandler {
  readonly #promise: Promise<unknown>;

  constructor(realm: Realm, promise: Promise<unknown>) {
    super(realm);
    this.#promise = promise;
  }

  protected promise(): Promise<unknown> {
    return this.#promise;
  }
}

class RpcPropertyHandler extends ThenableHandler {
  readonly #remote: RemoteCaller;
  readonly #name: string;
  #read?: Promise<unknown>;

  constructor(realm: Realm, remote: RemoteCaller, name: string) {
    super(realm);
    this.#remote = remote;
    this.#name = name;
  }

  /** Reading the property remotely happens only if someone awaits it. */
  protected promise(): Promise<unknown> {
    return (this.#read ??= this.#remote.get(this.#name));
  }

  apply(_target: () => unknown, _this: unknown, args: unknown[]): unknown {
    return this.#remote.call(this.#name, args);
  }
}

/** The result of a call: thenable over `promise` (a promise of the caller's realm). */
export function createRpcPromise(realm: Realm, promise: Promise<unknown>): unknown {
  return new Proxy(realm.newCallable(), new RpcPromiseHandler(realm, promise));
}

/** `env.S.name`: call it to call the method, await it to read the property. */
export function createRpcProperty(realm: Realm, remote: RemoteCaller, name: string): unknown {
  return new Proxy(realm.newCallable(), new RpcPropertyHandler(realm, remote, name));
}
