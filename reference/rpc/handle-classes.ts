/**
 * STUB-SURFACE: the classes of the handles RPC gives a worker, as workerd shows them.
 *
 * In workerd a service binding, a call's thenable and a property handle are instances of host
 * classes (Fetcher, RpcPromise, RpcProperty): one prototype between them and `Object.prototype`,
 * holding the handle's own methods (`fetch`/`connect`, `then`/`catch`/`finally`, shared by every
 * instance), `constructor` (a function that throws `TypeError: Illegal constructor` when called or
 * constructed) and a string tag. The reference builds the same shape in each worker's realm: the
 * methods find their handle through `this`, and a method torn off its handle throws workerd's
 * "Illegal invocation". The class names and tags are incidental (spec/incidental.md).
 *
 * `JSON.stringify` never reaches a handle's remote `toJSON`: V8 looks `toJSON` up without the
 * host's named-property interceptors, so on workerd `JSON.stringify(env.S)` is "{}" and no call is
 * made. A Proxy cannot tell who reads it, so each worker's `JSON.stringify` marks the time it runs
 * ({@link isStringifying}) and the handles answer `toJSON` with nothing meanwhile.
 */
import vm from "node:vm";
import type { Realm, WorkerRealm } from "../loading/realm.ts";

/** How one shared method of a handle class runs for the handle it was called on. */
type MemberImpl = (self: unknown, args: unknown[]) => unknown;

export interface HandleClass {
  readonly constructor: Function;
  readonly prototype: object;
}

export interface HandleClasses {
  readonly Fetcher: HandleClass;
  /** CTX-EXPORTS: `ctx.exports.X` is a LoopbackServiceStub, under a ServiceStub that holds fetch and connect. */
  readonly ServiceStub: HandleClass;
  readonly LoopbackServiceStub: HandleClass;
  readonly RpcPromise: HandleClass;
  readonly RpcProperty: HandleClass;
}

const CLASS_SOURCE = `(function (name, tag, members, parent, native) {
  "use strict";
  const C = native({ [name]: function () { throw new TypeError("Illegal constructor"); } }[name]);
  const proto = Object.create(parent ?? Object.prototype);
  for (const [key, impl] of members) {
    const method = native({ [key](...args) { return impl(this, args); } }[key]);
    Object.defineProperty(proto, key, { value: method, writable: true, enumerable: true, configurable: true });
  }
  Object.defineProperty(proto, "constructor", { value: C, writable: true, enumerable: false, configurable: true });
  if (tag !== undefined) Object.defineProperty(proto, Symbol.toStringTag, { value: tag, writable: true, enumerable: false, configurable: true });
  C.prototype = proto;
  return C;
})`;

const ILLEGAL_INVOCATION =
  "Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.";

/** What a binding's `fetch` and `connect` do, by binding object. */
export interface BindingMethods {
  fetch(args: unknown[]): unknown;
  connect(args: unknown[]): unknown;
}

/** What a thenable's `then`, `catch` and `finally` do, by thenable. */
export interface ThenableMethods {
  thenable(key: "then" | "catch" | "finally"): unknown;
}

/**
 * The string tag of a handle class, by the worker's `set_tostring_tag` flag: with it, workerd's
 * class tag; without it, none — except for a callable handle (a stub, a thenable, a property
 * handle, a loopback binding), which a host class shows as "[object Object]" but a JS callable
 * as "[object Function]": its tag says "Object" explicitly.
 */
function tagFor(realm: Realm, tag: string, callable: boolean): string | undefined {
  if (stringTags.get(realm) ?? true) return tag;
  return callable ? "Object" : undefined;
}

const stringTags = new WeakMap<Realm, boolean>();

/** Whether the worker of `realm` has `set_tostring_tag` (runtime.ts, before any handle is made). */
export function configureHandleTags(realm: Realm, on: boolean): void {
  stringTags.set(realm, on);
}

/**
 * The tags of the `cloudflare:workers` classes, as workerd's: `RpcStub.prototype` like the handle
 * classes' (a stub is callable); `WorkerEntrypoint.prototype` "WorkerEntrypoint" and
 * `RpcTarget.prototype` "JsRpcTarget" with `set_tostring_tag`, none without.
 */
export function tagWorkersClasses(realm: Realm, module: { RpcStub: { prototype: object }; WorkerEntrypoint: { prototype: object }; RpcTarget: { prototype: object } }): void {
  const define = (C: { prototype: object }, tag: string | undefined) => {
    if (tag !== undefined) Object.defineProperty(C.prototype, Symbol.toStringTag, { value: tag, writable: true, enumerable: false, configurable: true });
  };
  define(module.RpcStub, tagFor(realm, "JsRpcStub", true));
  define(module.WorkerEntrypoint, tagFor(realm, "WorkerEntrypoint", false));
  define(module.RpcTarget, tagFor(realm, "JsRpcTarget", false));
}

const bindings = new WeakMap<object, BindingMethods>();
const thenables = new WeakMap<object, ThenableMethods>();
const byRealm = new WeakMap<Realm, HandleClasses>();

/** The handle classes of `realm`, made on first use; undefined for a realm that runs no worker code. */
export function handleClasses(realm: Realm): HandleClasses | undefined {
  let classes = byRealm.get(realm);
  if (classes !== undefined) return classes;
  const context = (realm as Partial<WorkerRealm>).context;
  if (context === undefined) return undefined;
  // The functions below stand for workerd's native host functions, whose source text is
  // `function fetch() { [native code] }`.
  const native = (realm as WorkerRealm).markNative;
  const make = vm.runInContext(CLASS_SOURCE, context) as (name: string, tag: string | undefined, members: [string, MemberImpl][], parent: object | undefined, native: <F>(fn: F) => F) => Function;
  const illegal = () => new realm.intrinsics.errors.TypeError(ILLEGAL_INVOCATION);
  const bindingMember = (key: "fetch" | "connect"): [string, MemberImpl] => [
    key,
    (self, args) => {
      const methods = (typeof self === "object" && self !== null) || typeof self === "function" ? bindings.get(self) : undefined;
      if (methods === undefined) throw illegal();
      return methods[key](args);
    },
  ];
  const thenMember = (key: "then" | "catch" | "finally"): [string, MemberImpl] => [
    key,
    (self, args) => {
      const methods = typeof self === "function" ? thenables.get(self) : undefined;
      if (methods === undefined) throw illegal();
      return (methods.thenable(key) as (...a: unknown[]) => unknown)(...args);
    },
  ];
  const handleClass = (name: string, tag: string, members: [string, MemberImpl][], parent?: HandleClass, callable = false): HandleClass => {
    const C = make(name, tagFor(realm, tag, callable), members, parent?.prototype, native);
    return { constructor: C, prototype: C.prototype as object };
  };
  const thenMembers = [thenMember("then"), thenMember("catch"), thenMember("finally")];
  const ServiceStub = handleClass("ServiceStub", "ServiceStub", [bindingMember("fetch"), bindingMember("connect")]);
  classes = {
    Fetcher: handleClass("Fetcher", "Fetcher", [bindingMember("fetch"), bindingMember("connect")]),
    ServiceStub,
    LoopbackServiceStub: handleClass("LoopbackServiceStub", "LoopbackServiceStub", [], ServiceStub, true),
    RpcPromise: handleClass("RpcPromise", "JsRpcPromise", thenMembers, undefined, true),
    RpcProperty: handleClass("RpcProperty", "JsRpcProperty", thenMembers, undefined, true),
  };
  byRealm.set(realm, classes);
  installStringifyMark(context, native);
  return classes;
}

export function registerBinding(binding: object, methods: BindingMethods): void {
  bindings.set(binding, methods);
}

export function registerThenable(thenable: object, methods: ThenableMethods): void {
  thenables.set(thenable, methods);
}

let stringifying = 0;

/** True while a worker's `JSON.stringify` runs: handles then have no `toJSON` (see the file comment). */
export function isStringifying(): boolean {
  return stringifying > 0;
}

/** Wrap the realm's JSON.stringify (same name and length) so that {@link isStringifying} knows when it runs. */
function installStringifyMark(context: vm.Context, native: <F>(fn: F) => F): void {
  const wrap = vm.runInContext(
    `(enter, leave, native) => {
      const original = JSON.stringify;
      const stringify = native({ stringify(value, replacer, space) { enter(); try { return original(value, replacer, space); } finally { leave(); } } }.stringify);
      Object.defineProperty(JSON, "stringify", { value: stringify, writable: true, enumerable: false, configurable: true });
    }`,
    context,
  ) as (enter: () => void, leave: () => void, native: <F>(fn: F) => F) => void;
  wrap(
    () => void stringifying++,
    () => void stringifying--,
    native,
  );
}


