/**
 * The callee side of a call: one EntrypointDispatcher per exported entrypoint of a worker.
 *
 * It decides what is reachable and runs it. Everything here happens in the callee's realm and
 * returns the callee's values; copying them to the caller, and turning exceptions into the
 * caller's errors, is the binding's job (`binding.ts`).
 *
 * Per call (ENTRY-NEW-INSTANCE, ENTRY-STATELESS) a new instance is constructed with
 * `(ctx, env)` (ENTRY-CONSTRUCTOR), and the name is looked up on the instance's prototype chain
 * only: methods and accessors of the class and of user superclasses are reachable; own instance
 * properties (class fields, `this.env`, `this.ctx`), statics, `#private` members and anything
 * inherited from WorkerEntrypoint or Object are not. The prototype walk is cached per name, since
 * classes do not change shape between calls in practice; the own-property check is per instance.
 */
import { seams } from "../seams.ts";
import { HTTP_VALUE_SEAMS } from "../copy/http-values.ts";
import type { Copier } from "../copy/serialize.ts";
import type { LoadedWorker } from "../loading/worker.ts";
import { randomBytes } from "node:crypto";
import { noteUnscopedEntry } from "./call-scope.ts";

/**
 * Names never dispatched over RPC: they are lifecycle handlers or stub methods. Most are only
 * reachable by a path that does not resolve locally on the caller (`env.S.dup()` does).
 */
const RESERVED_NAMES = new Set([
  "dup",
  "constructor",
  "fetch",
  "connect",
  "alarm",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
]);

export type EntrypointClass = new (a: unknown, b: unknown) => Record<string, unknown>;
type ExportedHandler = { fetch?: (request: Request, env: unknown, ctx: unknown) => unknown };

/** Where a reachable name lives: an accessor (read through its getter) or a data property. */
export interface Member {
  getter?: (this: unknown) => unknown;
  value?: unknown;
}

export function notImplemented(name: string): TypeError {
  return new TypeError(`The RPC receiver does not implement the method "${name}".`);
}

/**
 * BIND-NOT-ENTRYPOINT: what every call, property read and fetch through a binding to a function or
 * a class not extending WorkerEntrypoint fails with. workerd gives up on the request before any of
 * the callee's code runs: `Error: internal error; reference = <id>`, marked remote only on the
 * HTTP path. Made in the caller's realm by `toCallerError` (errors.ts).
 */
export class InternalError extends Error {
  readonly remote: boolean;
  constructor(remote: boolean) {
    // workerd's ids are 24 lowercase base-32 digits; each failure gets its own.
    const id = [...randomBytes(24)].map((byte) => (byte & 31).toString(32)).join("");
    super(`internal error; reference = ${id}`);
    this.remote = remote;
    INTERNAL_ERRORS.add(this);
  }
}

const INTERNAL_ERRORS = new WeakSet<object>();

/** True for an InternalError; safe on anything a callee throws (no traps run, unlike `instanceof` on a Proxy). */
export function isInternalError(value: unknown): value is InternalError {
  return typeof value === "object" && value !== null && INTERNAL_ERRORS.has(value);
}

export class EntrypointDispatcher {
  readonly worker: LoadedWorker;
  readonly exportName: string;
  readonly #handler: EntrypointClass | ExportedHandler;
  readonly #isClass: boolean;
  /** BIND-NOT-ENTRYPOINT: a function or a class that does not extend WorkerEntrypoint serves nothing. */
  readonly #unservable: boolean;
  readonly #exposesMembers: boolean;
  readonly #copier: Copier;
  readonly #steps: typeof DISPATCH_SEAMS;
  /** The callee realm's Promise (ENTRY-RETURNED-THENABLE). */
  readonly #Promise: PromiseConstructor;
  readonly #members = new Map<string, Member | null>();

  constructor(worker: LoadedWorker, exportName: string, copier: Copier) {
    this.worker = worker;
    this.exportName = exportName;
    this.#handler = worker.exports[exportName] as EntrypointClass | ExportedHandler;
    this.#isClass = typeof this.#handler === "function";
    this.#steps = seams(worker.realm, DISPATCH_SEAMS);
    this.#unservable = !this.#steps.serves(this.#handler, worker);
    this.#exposesMembers = this.#steps.exposesMembers(exportName);
    this.#copier = copier;
    this.#Promise = worker.realm.intrinsics.Promise;
  }

  /** `Worker.Export`, for messages. */
  get label(): string {
    return `${this.worker.name}.${this.exportName}`;
  }

  /**
   * Call method `name` with arguments already copied into this realm. Returns what the method
   * returned (a promise for async methods), or throws. `caller` is null for HTTP requests.
   */
  call(name: string, args: unknown[], props: object | undefined, caller: LoadedWorker | null): unknown {
    if (this.#unservable) throw new InternalError(false);
    if (this.#reserved(name)) throw reserved(name);
    noteUnscopedEntry(this.worker.realm); // CTX-FLOATING-CANCELLED: unless it runs in a call's scope
    if (!this.#isClass) return this.#callHandlerObject(name, args, props, caller);
    if (!this.#exposesMembers) throw notImplemented(name);
    const { instance, env, ctx } = this.#instantiate(props, caller);
    const member = this.#reachable(instance, name);
    if (member === null) return this.#steps.memberMissing(name);
    const fn = read(member, instance, name);
    // VIS-NOT-A-FUNCTION: the member is read (a getter runs), and only then found not callable.
    if (typeof fn !== "function") return this.#steps.notCallable(name, fn);
    let result = this.worker.realm.callBudgetMs === undefined ? this.#steps.invoke(fn, instance, args, env, ctx) : this.#budgeted(fn, instance, args, name);
    if (isThenable(result) && !(result instanceof this.#Promise)) result = this.#steps.awaitThenable(result, this.#Promise);
    return result;
  }

  /** A method call under the realm's call budget (the CLI's): an endless loop becomes an error naming the method. */
  #budgeted(fn: Function, instance: object, args: unknown[], name: string): unknown {
    const realm = this.worker.realm;
    return realm.runWithBudget(() => fn.apply(instance, args), [], realm.callBudgetMs!, `${this.label}.${name}()`);
  }

  /** Read property `name` (`await env.S.name`): runs a getter on a fresh instance. */
  get(name: string, props: object | undefined, caller: LoadedWorker | null): unknown {
    if (this.#unservable) throw new InternalError(false);
    if (this.#reserved(name)) throw reserved(name);
    noteUnscopedEntry(this.worker.realm); // CTX-FLOATING-CANCELLED
    if (!this.#isClass) {
      // BIND-DEFAULT-OBJECT: an own member of the handler object (a getter runs).
      if (!Object.hasOwn(this.#handler, name)) throw notImplemented(name);
      return (this.#handler as Record<string, unknown>)[name];
    }
    if (!this.#exposesMembers) throw notImplemented(name);
    const { instance } = this.#instantiate(props, caller);
    const member = this.#reachable(instance, name);
    if (member === null) return this.#steps.memberMissing(name);
    // VIS-PROTOTYPE-GETTER: a getter runs on the fresh instance; the caller awaits what it returns.
    return read(member, instance, name);
  }

  /**
   * The HTTP path (ENTRY-FETCH): a class gets a fresh instance and its `fetch` is called with the
   * request; workerd passes `(request, undefined, undefined)` there (observed 2026-11-17: three
   * arguments, the last two undefined). A plain-object export gets `fetch(request, env, ctx)`.
   */
  async fetch(request: Request, props: object | undefined, caller: LoadedWorker | null): Promise<Response> {
    if (this.#unservable) throw new InternalError(true);
    noteUnscopedEntry(this.worker.realm); // CTX-FLOATING-CANCELLED: the HTTP path runs in no call's scope here
    seams(this.worker.realm, HTTP_VALUE_SEAMS).adoptInto(request, this.worker.realm); // SER-HOST-TAG: the callee's own Request
    let result: unknown;
    if (this.#isClass) {
      const { instance } = this.#instantiate(props, caller);
      const fetch = instance.fetch;
      if (typeof fetch !== "function") return this.#steps.fetchHandlerMissing();
      result = fetch.call(instance, request, undefined, undefined);
    } else {
      const handler = this.#handler as ExportedHandler;
      if (typeof handler.fetch !== "function") throw new Error("Handler does not export a fetch() function.");
      const env = this.#envFor(caller);
      result = handler.fetch(request, env, this.worker.newContext(this.#props(props), this.worker.ctxExports));
    }
    const response = await result;
    if (!(response instanceof Response)) throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
    return response;
  }

  /**
   * BIND-DEFAULT-OBJECT: RPC to a plain-object default export. Only the object's own members are
   * reachable, and, as workerd's top-level handlers, they take exactly one argument from the
   * caller, followed by the callee's env and a fresh ctx.
   */
  #callHandlerObject(name: string, args: unknown[], props: object | undefined, caller: LoadedWorker | null): unknown {
    const handler = this.#handler as Record<string, unknown>;
    if (!Object.hasOwn(handler, name)) throw notImplemented(name);
    const fn = handler[name];
    if (typeof fn !== "function") throw new TypeError(`"${name}" is not a function.`);
    this.#steps.checkHandlerArity(name, args);
    const ctx = this.worker.newContext(this.#props(props), this.worker.ctxExports);
    return fn.call(handler, args[0], this.#envFor(caller), ctx);
  }

  /** VIS-RESERVED: lifecycle and stub names reject even when the class defines them. */
  #reserved(name: string): boolean {
    return this.#steps.isReserved(name);
  }

  #instantiate(props: object | undefined, caller: LoadedWorker | null) {
    const env = this.#envFor(caller);
    const ctx = this.#steps.callContext(this.worker, this.#props(props), props);
    const instance = this.#steps.instantiate(this.#handler as EntrypointClass, ctx, env);
    return { instance, env, ctx };
  }

  #envFor(caller: LoadedWorker | null): object {
    return caller === null ? this.worker.env : this.#steps.calleeEnv(this.worker, caller);
  }

  #props(props: object | undefined): unknown {
    return this.#steps.callProps(this.worker, this.#copier, props);
  }

  /**
   * VIS-OWN-PROPERTIES, VIS-ENV-CTX: own instance properties (class fields, `this.x = …`, and the
   * `env`/`ctx` the base constructor stores) shadow the prototype chain and are never reachable.
   */
  #reachable(instance: object, name: string): Member | null {
    if (Object.hasOwn(instance, name)) return this.#steps.ownMember(instance, name);
    // ENTRY-CONSTRUCTOR-RESULT: a constructor that returned another object made it the receiver.
    const receiverPrototype = this.#steps.receiverPrototype(this.#handler as EntrypointClass, instance);
    if (receiverPrototype !== (this.#handler as EntrypointClass).prototype) return this.#steps.chainMember(receiverPrototype, name, this.worker);
    return this.#lookup(name);
  }

  #lookup(name: string): Member | null {
    let member = this.#members.get(name);
    if (member === undefined) {
      member = this.#steps.prototypeMember(this.#handler as EntrypointClass, name, this.worker);
      this.#members.set(name, member);
    }
    return member;
  }

}

/**
 * The callee's steps a broken variant may replace (seams.ts): which exports and names are
 * reachable, how an instance is made and a method invoked, and what a missing member gives.
 */
export const DISPATCH_SEAMS = {
  /**
   * BIND-NOT-ENTRYPOINT: whether an export serves calls: an object of handlers, or a class
   * extending WorkerEntrypoint (a function or any other class is bound, but every call fails).
   */
  serves(handler: EntrypointClass | ExportedHandler, worker: LoadedWorker): boolean {
    return typeof handler !== "function" || (handler as { prototype?: unknown }).prototype instanceof worker.workersModule.WorkerEntrypoint;
  },
  /** ENTRY-CLASS-EXPORT: every export extending WorkerEntrypoint, named or default, exposes its members. */
  exposesMembers(_exportName: string): boolean {
    return true;
  },
  /** VIS-RESERVED: lifecycle and stub names reject even when the class defines them. */
  isReserved(name: string): boolean {
    return RESERVED_NAMES.has(name);
  },
  /**
   * ENTRY-CONSTRUCTOR, ENTRY-NEW-INSTANCE: a new instance per call, constructed with (ctx, env),
   * exactly two arguments, a fresh ctx each call.
   */
  instantiate(Class: EntrypointClass, ctx: object, env: object): Record<string, unknown> {
    return new Class(ctx, env);
  },
  /**
   * VIS-OWN-PROPERTIES, VIS-ENV-CTX: own instance properties (class fields, `this.x = …`, and the
   * `env`/`ctx` the base constructor stores) shadow the prototype chain and are never reachable.
   */
  ownMember(_instance: object, _name: string): Member | null {
    return null;
  },
  /**
   * VIS-INHERITED: the whole chain of user classes, up to (not including) WorkerEntrypoint.
   * VIS-STATIC: statics live on the class, not on the prototype chain, so they are never found.
   */
  prototypeMember(Class: EntrypointClass, name: string, worker: LoadedWorker): Member | null {
    return DISPATCH_SEAMS.chainMember(Class.prototype, name, worker);
  },
  /**
   * ENTRY-CONSTRUCTOR-RESULT: where names are looked up: the prototype of the object `new`
   * returned, which is another object's when the constructor returned one (an array, an instance
   * of another class), not the class's prototype.
   */
  receiverPrototype(_Class: EntrypointClass, instance: object): object | null {
    return Object.getPrototypeOf(instance) as object | null;
  },
  /** A name on a prototype chain, up to (not including) WorkerEntrypoint's prototype or the realm's Object.prototype. */
  chainMember(proto: object | null, name: string, worker: LoadedWorker): Member | null {
    return findOnPrototypes(proto, name, new Set([worker.workersModule.WorkerEntrypoint.prototype, worker.realm.intrinsics.ObjectPrototype]), false);
  },
  /** VIS-UNKNOWN-METHOD: a name the entrypoint does not expose rejects. */
  memberMissing(name: string): unknown {
    throw notImplemented(name);
  },
  /** VIS-NOT-A-FUNCTION: a member called that is not a function rejects. */
  notCallable(name: string, _value: unknown): unknown {
    throw new TypeError(`"${name}" is not a function.`);
  },
  /** ENTRY-ARGUMENTS: exactly the caller's arguments, `this` = the instance. */
  invoke(fn: Function, instance: object, args: unknown[], _env: object, _ctx: object): unknown {
    return fn.apply(instance, args);
  },
  /**
   * ENTRY-RETURNED-THENABLE: a thenable that is not a Promise is resolved as `await` would
   * (recursively), in the callee's realm, so the binding only ever waits on a real Promise.
   */
  awaitThenable(result: PromiseLike<unknown>, Promise: PromiseConstructor): unknown {
    return Promise.resolve(result);
  },
  /** BIND-DEFAULT-OBJECT: a top-level handler takes exactly one argument. */
  checkHandlerArity(name: string, args: unknown[]): void {
    if (args.length !== 1) throw wrongArity(name);
  },
  /**
   * ENV-CALLEE-OWN, ENV-SERVICE-BINDINGS, ENV-SAME-OBJECT: a call over a binding runs with the
   * callee's own env, bindings included: one object per worker, whatever binding the call came through.
   */
  calleeEnv(worker: LoadedWorker, _caller: LoadedWorker): object {
    return worker.env;
  },
  /** CTX-PROPS: `ctx.props` is the binding's props (`{}` without), copied into this realm afresh for every call. */
  callProps(worker: LoadedWorker, copier: Copier, props: object | undefined): unknown {
    return props === undefined ? new worker.realm.intrinsics.Object() : copier.copy(props, worker.realm);
  },
  /** CTX-PER-CALL: every call to an entrypoint class gets its own ctx (`bindingProps`: the props as the binding holds them). */
  callContext(worker: LoadedWorker, props: unknown, _bindingProps: object | undefined): object {
    return worker.newContext(props, worker.ctxExports);
  },
  /** ENTRY-FETCH-MISSING-HANDLER: no fetch handler rejects (the binding marks the error remote). */
  fetchHandlerMissing(): Response {
    throw new Error("Handler does not export a fetch() function.");
  },
};

function wrongArity(name: string): TypeError {
  return new TypeError(
    `Attempted to call RPC function "${name}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`,
  );
}

function reserved(name: string): TypeError {
  return new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`);
}

/**
 * Walk from `proto` up, stopping before any of `stops`; a setter-only accessor reads as undefined.
 * `skipAccessors` is fault `getters-unreachable` only.
 */
export function findOnPrototypes(proto: object | null, name: string, stops: Set<object>, skipAccessors: boolean): Member | null {
  for (let o = proto; o !== null && !stops.has(o); o = Object.getPrototypeOf(o) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor === undefined) continue;
    if ("value" in descriptor) return { value: descriptor.value };
    if (skipAccessors) continue; // fault getters-unreachable (VIS-PROTOTYPE-GETTER)
    return { getter: descriptor.get ?? (() => undefined) };
  }
  return null;
}

/**
 * The member's value on `instance` (a getter runs now). As on workerd, a member whose value is
 * `undefined` (a getter returning nothing, a setter-only accessor) counts as not implemented
 * (VIS-PROTOTYPE-GETTER).
 */
export function read(member: Member, instance: object, name: string): unknown {
  const value = member.getter ? member.getter.call(instance) : member.value;
  if (value === undefined) throw notImplemented(name);
  return value;
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
