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
import type { FaultSwitches } from "./faults.ts";
import type { Serializer } from "./serialize.ts";
import type { LoadedWorker } from "./worker.ts";

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

type EntrypointClass = new (a: unknown, b: unknown) => Record<string, unknown>;
type ExportedHandler = { fetch?: (request: Request, env: unknown, ctx: unknown) => unknown };

/** Where a reachable name lives: an accessor (read through its getter) or a data property. */
interface Member {
  getter?: (this: unknown) => unknown;
  value?: unknown;
}

export interface CallOptions {
  /** Fault `fetch-as-rpc` only: let `fetch` through like any method. */
  allowReserved?: boolean;
}

export function notImplemented(name: string): TypeError {
  return new TypeError(`The RPC receiver does not implement the method "${name}".`);
}

export class EntrypointDispatcher {
  readonly worker: LoadedWorker;
  readonly exportName: string;
  readonly #handler: EntrypointClass | ExportedHandler;
  readonly #isClass: boolean;
  /** False under fault `class-exports-not-entrypoints` for named exports. */
  readonly #exposesMembers: boolean;
  readonly #serializer: Serializer;
  readonly #faults: FaultSwitches;
  readonly #stops: Set<object>;
  readonly #members = new Map<string, Member | null>();
  /** Fault `merge-entrypoints` only: the worker's other entrypoints. */
  readonly #siblings: () => EntrypointDispatcher[];
  /** Fault `reuse-instance` only. */
  #sharedInstance: Record<string, unknown> | undefined;

  constructor(
    worker: LoadedWorker,
    exportName: string,
    serializer: Serializer,
    faults: FaultSwitches,
    siblings: () => EntrypointDispatcher[],
  ) {
    this.worker = worker;
    this.exportName = exportName;
    this.#handler = worker.exports[exportName] as EntrypointClass | ExportedHandler;
    this.#isClass = typeof this.#handler === "function";
    // ENTRY-CLASS-EXPORT: a named class export extending WorkerEntrypoint is an entrypoint.
    this.#exposesMembers = !(faults["class-exports-not-entrypoints"] && exportName !== "default"); // fault class-exports-not-entrypoints (ENTRY-CLASS-EXPORT)
    this.#serializer = serializer;
    this.#faults = faults;
    this.#siblings = siblings;
    this.#stops = new Set([worker.workersModule.WorkerEntrypoint.prototype, worker.realm.intrinsics.ObjectPrototype]);
  }

  /** `Worker.Export`, for messages. */
  get label(): string {
    return `${this.worker.name}.${this.exportName}`;
  }

  /**
   * Call method `name` with arguments already copied into this realm. Returns what the method
   * returned (a promise for async methods), or throws. `caller` is null for HTTP requests.
   */
  call(name: string, args: unknown[], props: object | undefined, caller: LoadedWorker | null, options?: CallOptions): unknown {
    if (RESERVED_NAMES.has(name) && !options?.allowReserved) throw reserved(name);
    if (!this.#isClass || !this.#exposesMembers) throw notImplemented(name); // RPC to a plain-object default export: later issue
    const firstTimer = this.worker.realm.nextTimerId;
    const { instance, env, ctx } = this.#instantiate(props, caller);
    const member = this.#reachable(instance, name);
    if (member === null) {
      // BIND-ENTRYPOINT-ISOLATION: a binding reaches its own entrypoint's members, nothing else.
      const sibling = this.#faults["merge-entrypoints"] ? this.#siblingWith(name) : undefined; // fault merge-entrypoints (BIND-ENTRYPOINT-ISOLATION)
      if (sibling !== undefined) return sibling.call(name, args, props, caller);
      // VIS-UNKNOWN-METHOD: a name the entrypoint does not expose rejects.
      if (this.#faults["unknown-method-resolves-undefined"]) return undefined; // fault unknown-method-resolves-undefined (VIS-UNKNOWN-METHOD)
      throw notImplemented(name);
    }
    const fn = member.getter ? member.getter.call(instance) : member.value;
    if (typeof fn !== "function") throw new TypeError(`"${name}" is not a function.`);
    // ENTRY-ARGUMENTS: exactly the caller's arguments, `this` = the instance.
    const result = this.#faults["append-env-ctx"] ? fn.call(instance, ...args, env, ctx) : fn.apply(instance, args); // fault append-env-ctx (ENTRY-ARGUMENTS)
    if (this.#faults["drop-waituntil"]) return this.#clearTimersAfter(result, firstTimer); // fault drop-waituntil (CTX-WAITUNTIL)
    return result;
  }

  /** Read property `name` (`await env.S.name`): runs a getter on a fresh instance. */
  get(name: string, props: object | undefined, caller: LoadedWorker | null): unknown {
    if (RESERVED_NAMES.has(name)) throw reserved(name);
    if (!this.#isClass || !this.#exposesMembers) throw notImplemented(name);
    const { instance } = this.#instantiate(props, caller);
    const member = this.#reachable(instance, name);
    if (member === null) {
      const sibling = this.#faults["merge-entrypoints"] ? this.#siblingWith(name) : undefined; // fault merge-entrypoints (BIND-ENTRYPOINT-ISOLATION)
      if (sibling !== undefined) return sibling.get(name, props, caller);
      if (this.#faults["unknown-method-resolves-undefined"]) return undefined; // fault unknown-method-resolves-undefined (VIS-UNKNOWN-METHOD)
      throw notImplemented(name);
    }
    return member.getter ? member.getter.call(instance) : member.value;
  }

  /**
   * The HTTP path (ENTRY-FETCH): a class gets a fresh instance and its `fetch` is called with the
   * request; workerd passes `(request, undefined, undefined)` there (observed 2026-11-17: three
   * arguments, the last two undefined). A plain-object export gets `fetch(request, env, ctx)`.
   */
  async fetch(request: Request, props: object | undefined, caller: LoadedWorker | null): Promise<Response> {
    const firstTimer = this.worker.realm.nextTimerId;
    let result: unknown;
    if (this.#isClass) {
      const { instance } = this.#instantiate(props, caller);
      const fetch = instance.fetch;
      if (typeof fetch !== "function") throw new Error("Handler does not export a fetch() function.");
      result = fetch.call(instance, request, undefined, undefined);
    } else {
      const handler = this.#handler as ExportedHandler;
      if (typeof handler.fetch !== "function") throw new Error("Handler does not export a fetch() function.");
      const env = this.#envFor(caller);
      result = handler.fetch(request, env, this.worker.newContext(this.#props(props)));
    }
    if (this.#faults["drop-waituntil"]) result = this.#clearTimersAfter(result, firstTimer); // fault drop-waituntil (CTX-WAITUNTIL)
    const response = await result;
    if (!(response instanceof Response)) throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
    return response;
  }

  /** True when `name` is reachable on this entrypoint's prototype chain. */
  hasMember(name: string): boolean {
    return this.#isClass && this.#exposesMembers && !RESERVED_NAMES.has(name) && this.#lookup(name) !== null;
  }

  #instantiate(props: object | undefined, caller: LoadedWorker | null) {
    const env = this.#envFor(caller);
    const ctx = this.worker.newContext(this.#props(props));
    const Class = this.#handler as EntrypointClass;
    if (this.#faults["reuse-instance"]) return { instance: (this.#sharedInstance ??= new Class(ctx, env)), env, ctx }; // fault reuse-instance (ENTRY-NEW-INSTANCE, ENTRY-STATELESS)
    // ENTRY-CONSTRUCTOR: constructed with (ctx, env), exactly two arguments, a fresh ctx each call.
    const instance = this.#faults["constructor-args-swapped"] ? new Class(env, ctx) : new Class(ctx, env); // fault constructor-args-swapped (ENTRY-CONSTRUCTOR)
    return { instance, env, ctx };
  }

  /** ENV-CALLEE-OWN, ENV-SERVICE-BINDINGS: the callee runs with its own env, bindings included. */
  #envFor(caller: LoadedWorker | null): object {
    if (caller === null) return this.worker.env;
    if (this.#faults["callee-sees-caller-env"]) return caller.env; // fault callee-sees-caller-env (ENV-CALLEE-OWN)
    if (this.#faults["callee-env-without-services"]) return this.worker.varsOnlyEnv; // fault callee-env-without-services (ENV-SERVICE-BINDINGS)
    return this.worker.env;
  }

  /** `ctx.props`: the binding's props, copied into this realm afresh for every call. */
  #props(props: object | undefined): unknown {
    return props === undefined ? new this.worker.realm.intrinsics.Object() : this.#serializer.copy(props, this.worker.realm);
  }

  /** Own instance properties shadow the prototype chain and are never reachable. */
  #reachable(instance: object, name: string): Member | null {
    if (Object.hasOwn(instance, name)) return null;
    return this.#lookup(name);
  }

  #lookup(name: string): Member | null {
    let member = this.#members.get(name);
    if (member === undefined) {
      member = findOnPrototypes((this.#handler as EntrypointClass).prototype, name, this.#stops);
      this.#members.set(name, member);
    }
    return member;
  }

  #siblingWith(name: string): EntrypointDispatcher | undefined {
    return this.#siblings().find((sibling) => sibling !== this && sibling.hasMember(name));
  }

  /** Fault `drop-waituntil`: cancel the timers the callee started once the call settles. */
  #clearTimersAfter(result: unknown, firstTimer: number): unknown {
    const clear = () => this.worker.realm.clearTimersFrom(firstTimer);
    if (!isThenable(result)) {
      clear();
      return result;
    }
    return result.then(
      (value) => (clear(), value),
      (error: unknown) => {
        clear();
        throw error;
      },
    );
  }
}

function reserved(name: string): TypeError {
  return new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`);
}

/** Walk from `proto` up, stopping before any of `stops`; a setter-only accessor reads as undefined. */
function findOnPrototypes(proto: object | null, name: string, stops: Set<object>): Member | null {
  for (let o = proto; o !== null && !stops.has(o); o = Object.getPrototypeOf(o) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor === undefined) continue;
    if ("value" in descriptor) return { value: descriptor.value };
    return { getter: descriptor.get ?? (() => undefined) };
  }
  return null;
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
