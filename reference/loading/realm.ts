/**
 * A worker's global scope.
 *
 * Each worker gets its own `vm` context, so it has its own `Object`, `Array`, `Error`…, its own
 * module state and its own globals, as it would in its own workerd isolate. Values only cross
 * between realms through `serialize.ts`, which builds them with the destination's intrinsics;
 * that is what makes "copied, not shared" observable (`instanceof Object` fails on a leaked value).
 *
 * Most Web APIs a worker expects (URL, TextEncoder, fetch…) are the host's own objects copied in:
 * they are shared by every realm, like the platform APIs of a real runtime are not part of the
 * user's object graph. Request, Response, Headers, Blob and ReadableStream, whose instances travel
 * by RPC, are the realm's own classes over the host's (web-classes.ts, SER-HOST-TAG).
 */
import vm from "node:vm";
import { HangWatch } from "../rpc/hang-watch.ts";
import { ScopeTurn, carryIntoReactions, currentCallScope, runInCallScope, runOutsideCallScopes } from "../rpc/call-scope.ts";
import { type TimerEntry, addTimer, cancelTimer } from "./timers.ts";
import { HOST_WEB_CLASSES, REALM_WEB_CLASS_NAMES, type RealmMemberStep, type RealmWebClasses, realmWebClasses } from "./web-classes.ts";

/** The error constructors the copier and the error path rebuild in a destination realm. */
export const BUILTIN_ERROR_NAMES = [
  "Error",
  "EvalError",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
  "TypeError",
  "URIError",
] as const;
export type BuiltinErrorName = (typeof BUILTIN_ERROR_NAMES)[number];

export const TYPED_ARRAY_NAMES = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
] as const;
export type TypedArrayName = (typeof TYPED_ARRAY_NAMES)[number];

type TypedArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

/** The constructors of one realm that copies are built from. */
export interface Intrinsics {
  Object: ObjectConstructor;
  ObjectPrototype: object;
  FunctionPrototype: object;
  Array: ArrayConstructor;
  Map: MapConstructor;
  Set: SetConstructor;
  Date: DateConstructor;
  RegExp: RegExpConstructor;
  ArrayBuffer: ArrayBufferConstructor;
  DataView: DataViewConstructor;
  Promise: PromiseConstructor;
  AggregateError: AggregateErrorConstructor;
  /** ERR-RUNTIME-REALM: this realm's DOMException, whose instances are `instanceof` its own Error. */
  DOMException: typeof DOMException;
  errors: Record<BuiltinErrorName, ErrorConstructor>;
  typedArrays: Record<TypedArrayName, TypedArrayConstructor>;
}

/** Somewhere values live: the host (Node) or one worker's context. */
export interface Realm {
  /** The worker's name, or "host"; used in messages. */
  readonly name: string;
  readonly intrinsics: Intrinsics;
  /**
   * A fresh callable of this realm with no own properties (the target of callable proxies). With
   * `withOwnKeys`, a plain arrow function still holding its own `length` and `name`, for a proxy
   * that removes them only once they could be observed (rpc-promise.ts: removing them costs more
   * than the rest of a call).
   */
  newCallable(withOwnKeys?: boolean): () => unknown;
}

/**
 * Every realm's `Object.prototype`. A plain object is one whose prototype is any of these: a
 * worker may hold objects the host built for it (`await request.json()` runs in the host), and
 * those must copy like the worker's own.
 */
const plainObjectPrototypes = new WeakSet<object>();

export function isPlainObjectPrototype(proto: object | null): boolean {
  return proto !== null && plainObjectPrototypes.has(proto);
}

const INTRINSICS_SOURCE = `({
  Object, ObjectPrototype: Object.prototype, FunctionPrototype: Function.prototype,
  Array, Map, Set, Date, RegExp, ArrayBuffer, DataView, Promise, AggregateError,
  errors: { ${BUILTIN_ERROR_NAMES.join(", ")} },
  typedArrays: { ${TYPED_ARRAY_NAMES.join(", ")} },
})`;

/**
 * ERR-RUNTIME-REALM: a worker's own DOMException. Its instances are the host's DOMExceptions (so
 * `name`, `message` and `code` work, and {@link isDOMException} knows them), built with this
 * realm's prototype, which inherits from this realm's `Error.prototype`: `e instanceof Error` and
 * `e instanceof DOMException` hold in the worker, as on workerd.
 */
const REALM_DOMEXCEPTION_SOURCE = `(Host, toStringTag) => {
  const DOMException = function DOMException(...args) {
    if (new.target === undefined) throw new TypeError("Class constructor DOMException cannot be invoked without 'new'");
    return Reflect.construct(Host, args, new.target);
  };
  const prototype = Object.create(Error.prototype);
  for (const key of Reflect.ownKeys(Host.prototype)) {
    if (key !== "constructor" && (toStringTag || key !== Symbol.toStringTag)) Object.defineProperty(prototype, key, Object.getOwnPropertyDescriptor(Host.prototype, key));
  }
  Object.defineProperty(prototype, "constructor", { value: DOMException, writable: true, configurable: true });
  Object.defineProperty(DOMException, "prototype", { value: prototype, writable: false });
  for (const key of Reflect.ownKeys(Host)) {
    if (key !== "prototype" && key !== "length" && key !== "name") Object.defineProperty(DOMException, key, Object.getOwnPropertyDescriptor(Host, key));
  }
  return DOMException;
}`;

const domExceptionName = Object.getOwnPropertyDescriptor(DOMException.prototype, "name")!.get!;

/** Whether `value` is a DOMException of any realm (the host's or a worker's). */
export function isDOMException(value: unknown): value is DOMException {
  if (typeof value !== "object" || value === null) return false;
  try {
    domExceptionName.call(value);
    return true;
  } catch {
    return false;
  }
}

let budgetedRuns = 0;

/** Synchronous worker code that ran past its budget and was stopped (see WorkerRealm.runWithBudget). */
export class BudgetExceededError extends Error {
  override name = "BudgetExceededError";
  readonly worker: string;
  constructor(worker: string, what: string, budgetMs: number) {
    super(`${what} ran synchronously for more than ${budgetMs} ms and was stopped (an endless loop?)`);
    this.worker = worker;
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * How long a worker's modules may run synchronously while they are first evaluated. workerd run
 * locally (Miniflare) was seen to hang on a top-level endless loop; the reference stops it here
 * instead and the scenario fails to start, naming the worker.
 */
export const MODULE_EVALUATION_BUDGET_MS = 10_000;

let callBudgetForNewRealms: number | undefined;

/**
 * Give every RPC method call in realms created from now on a budget for its synchronous part
 * (`undefined`: none, the default). A budgeted call costs a watchdog thread (about 0.2 ms instead
 * of microseconds), so this is for a process serving one scenario to people — the CLI — where
 * an endless loop in a method should become an error for that call rather than a frozen server.
 */
export function setCallBudget(budgetMs: number | undefined): void {
  callBudgetForNewRealms = budgetMs;
}

/** SER-HOST-TAG: `value` (a Web object of any realm) given the prototype of `realm`'s class; anything else as it is. */
export function adoptWebObject<T>(value: T, realm: Realm): T {
  return ((realm as Partial<WorkerRealm>).webClasses ?? HOST_WEB_CLASSES).adopt(value) as T;
}

/** The Node side of the boundary: where test code and the CLI live. */
export const hostRealm: Realm = {
  name: "host",
  intrinsics: { ...(vm.runInThisContext(INTRINSICS_SOURCE) as Omit<Intrinsics, "DOMException">), DOMException },
  newCallable: (withOwnKeys) => (withOwnKeys ? () => {} : function () {}),
};
plainObjectPrototypes.add(Object.prototype);

/** Host globals a worker sees under the same names (shared objects, not copies). */
const SHARED_WEB_APIS = [
  "URL",
  "URLSearchParams",
  "TextEncoder",
  "TextDecoder",
  "TextEncoderStream",
  "TextDecoderStream",
  "crypto",
  "console",
  "queueMicrotask",
  "structuredClone",
  "atob",
  "btoa",
  "AbortController",
  "AbortSignal",
  "WritableStream",
  "TransformStream",
  "ByteLengthQueuingStrategy",
  "CountQueuingStrategy",
  "CompressionStream",
  "DecompressionStream",
  "File",
  "FormData",
  "Event",
  "EventTarget",
  "fetch",
  "performance",
] as const;

/**
 * One worker's global scope. Timers are wrapped so that they return numbers (as in workerd), so
 * that an exception in a callback is logged instead of crashing the host, and so that `dispose`
 * can clear whatever a worker left scheduled.
 */
export class WorkerRealm implements Realm {
  readonly name: string;
  readonly context: vm.Context;
  readonly global: Record<string, unknown>;
  readonly intrinsics: Intrinsics;
  /** SER-HOST-TAG: whether this worker's API objects carry Symbol.toStringTag (set_tostring_tag). */
  readonly apiTags: boolean;
  /** SER-HOST-TAG: this realm's Request, Response, Headers, Blob and ReadableStream. */
  readonly webClasses: RealmWebClasses;
  readonly #newCallable: () => () => unknown;
  readonly #newArrow: () => () => unknown;
  readonly #defineFunction: (name: string, impl: (args: unknown[]) => unknown) => (...args: unknown[]) => unknown;
  readonly #timers = new Map<number, TimerEntry>();
  readonly #userScripts = new Set<string>();
  readonly #errorToString: (this: unknown) => string;
  #lastTimerId = 0;

  /** CTX-FLOATING-CANCELLED: which calls entered this worker in the current drain (rpc/call-scope.ts). */
  readonly scopeTurn = new ScopeTurn();

  /** CTX-HUNG-CANCELLED: the watch over this worker's calls whose results are pending (rpc/hang-watch.ts). */
  readonly hangWatch = new HangWatch(() => this.#timers.size > 0);

  /**
   * Make a function of this realm print as workerd's native functions do, `function name() {
   * [native code] }`: the realm's Function.prototype.toString prints them so (and itself).
   */
  readonly markNative: <F>(fn: F) => F;

  /** The budget for the synchronous part of each RPC method call, if any (see {@link setCallBudget}). */
  readonly callBudgetMs: number | undefined = callBudgetForNewRealms;

  /** Where the runtime reports what a worker's code did wrong off the call path (see ReferenceOptions.onLog). */
  readonly log: (message: string) => void;

  constructor(name: string, log: (message: string) => void = (message) => console.error(message), options: { toStringTags?: boolean; realmMember?: RealmMemberStep } = {}) {
    this.name = name;
    this.log = log;
    const sandbox: Record<string, unknown> = {};
    for (const key of SHARED_WEB_APIS) sandbox[key] = (globalThis as Record<string, unknown>)[key];
    // CTX-HUNG-CANCELLED: the host I/O a worker can wait on keeps its calls from counting as hung.
    sandbox.fetch = watchedFetch(this.hangWatch);
    sandbox.crypto = watchedCrypto(this.hangWatch);
    sandbox.CompressionStream = watchedTransform(CompressionStream, this.hangWatch);
    sandbox.DecompressionStream = watchedTransform(DecompressionStream, this.hangWatch);
    sandbox.navigator = { userAgent: "Cloudflare-Workers" };
    sandbox.setTimeout = (callback: unknown, ms?: number, ...args: unknown[]) => this.#schedule(false, callback, ms, args);
    sandbox.setInterval = (callback: unknown, ms?: number, ...args: unknown[]) => this.#schedule(true, callback, ms, args);
    sandbox.clearTimeout = sandbox.clearInterval = (id: unknown) => this.#clear(Number(id));
    this.context = vm.createContext(sandbox, { name: `worker ${name}` });
    this.global = vm.runInContext("globalThis", this.context) as Record<string, unknown>;
    this.global.self = this.global;
    // Node 20 polyfills Symbol.dispose/asyncDispose on its own realm only; workers need the same
    // symbols, so that `stub[Symbol.dispose]()` names what the runtime defines (STUB-DISPOSE).
    const realmSymbol = (this.global as { Symbol: SymbolConstructor }).Symbol;
    for (const key of ["dispose", "asyncDispose"] as const) {
      if (realmSymbol[key] === undefined) Object.defineProperty(realmSymbol, key, { value: Symbol[key] });
    }
    const intrinsics = vm.runInContext(INTRINSICS_SOURCE, this.context) as Omit<Intrinsics, "DOMException">;
    this.apiTags = options.toStringTags ?? true;
    // SER-HOST-TAG: without set_tostring_tag the realm's DOMException has no Symbol.toStringTag.
    const realmDOMException = (vm.runInContext(REALM_DOMEXCEPTION_SOURCE, this.context) as (host: typeof DOMException, toStringTag: boolean) => typeof DOMException)(DOMException, options.toStringTags ?? true);
    this.global.DOMException = realmDOMException;
    this.intrinsics = { ...intrinsics, DOMException: realmDOMException };
    this.#errorToString = this.intrinsics.errors.Error.prototype.toString;
    // STUB-SURFACE: the target of stub and thenable proxies is callable but has no own properties
    // (an arrow function with its length and name deleted), so the proxies show none.
    [this.#newCallable, this.#newArrow] = vm.runInContext(
      "[() => { const f = () => {}; delete f.length; delete f.name; return f; }, () => () => {}]",
      this.context,
    ) as [() => () => unknown, () => () => unknown];
    this.#defineFunction = vm.runInContext(
      "(name, impl) => ({ [name](...args) { return impl(args); } })[name]",
      this.context,
    ) as WorkerRealm["realmFunction"];
    plainObjectPrototypes.add(this.intrinsics.ObjectPrototype);
    this.markNative = installNativeText(this.context);
    // SER-HOST-TAG: the realm's own Web API classes, tagged as set_tostring_tag says.
    // Each global is made on first use (web-classes.ts), then stays a plain data property.
    this.webClasses = realmWebClasses((source) => vm.runInContext(source, this.context), this.apiTags, this.markNative, options.realmMember);
    for (const key of REALM_WEB_CLASS_NAMES) {
      const settle = (value: unknown) => Object.defineProperty(this.global, key, { value, writable: true, enumerable: true, configurable: true });
      Object.defineProperty(this.global, key, {
        get: () => (settle(this.webClasses.classOf(key)), this.global[key]),
        set: settle,
        enumerable: true,
        configurable: true,
      });
    }
    // CTX-FLOATING-CANCELLED: a reaction registered while a call is current runs in its scope.
    carryIntoReactions(this, (source) => vm.runInContext(source, this.context), this.markNative);
    // Stacks of errors the worker creates show the worker's frames only: the runtime's frames
    // below them (dispatcher, binding, Node internals) are not the worker's business and would
    // leak into error values copied to other workers.
    Object.defineProperty(this.intrinsics.errors.Error, "prepareStackTrace", {
      value: (error: unknown, callSites: NodeJS.CallSite[]) => this.#formatStack(error, callSites),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  newCallable(withOwnKeys = false): () => unknown {
    return withOwnKeys ? this.#newArrow() : this.#newCallable();
  }

  /** A function of this realm named `name` that runs host code: what the worker sees is its own kind of function. */
  realmFunction(name: string, impl: (args: unknown[]) => unknown): (...args: unknown[]) => unknown {
    return this.#defineFunction(name, impl);
  }

  /** Run a script in this realm and return its completion value. `userCode`: its frames show in stacks. */
  evaluate(source: string, filename: string, options: { userCode?: boolean } = {}): unknown {
    if (options.userCode) this.#userScripts.add(filename);
    return new vm.Script(source, { filename }).runInContext(this.context);
  }

  /**
   * Call `fn(...args)` with a budget for its synchronous part: past `budgetMs`, V8 stops it and
   * this throws a {@link BudgetExceededError}, where a runaway loop would otherwise freeze the
   * host thread for good. Each run costs a watchdog thread (about 0.2 ms), so this is for one-off
   * work such as evaluating a worker's modules, never for the per-call path.
   */
  runWithBudget(fn: (...args: unknown[]) => unknown, args: unknown[], budgetMs: number, what: string): unknown {
    const slot = `__referenceBudgetedRun${++budgetedRuns}`;
    this.global[slot] = () => fn(...args);
    try {
      return new vm.Script(`globalThis.${slot}()`, { filename: "reference:budget" }).runInContext(this.context, { timeout: budgetMs, displayErrors: false });
    } catch (error) {
      if ((error as { code?: unknown })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new BudgetExceededError(this.name, what, budgetMs);
      throw error;
    } finally {
      delete this.global[slot];
    }
  }

  #formatStack(error: unknown, callSites: NodeJS.CallSite[]): string {
    let header: string;
    try {
      header = this.#errorToString.call(error);
    } catch {
      header = "Error";
    }
    const frames = callSites.filter((site) => this.#userScripts.has(site.getFileName() ?? ""));
    return header + frames.map((site) => `\n    at ${site}`).join("");
  }

  /** The id the next timer will get; with {@link clearTimersFrom} it scopes timers to a span of time. */
  get nextTimerId(): number {
    return this.#lastTimerId + 1;
  }

  /** Cancel every pending timer whose id is at least `firstId`. */
  clearTimersFrom(firstId: number): void {
    for (const id of this.#timers.keys()) if (id >= firstId) this.#clear(id);
  }

  clearAllTimers(): void {
    this.clearTimersFrom(0);
  }

  #schedule(repeat: boolean, callback: unknown, ms: number | undefined, args: unknown[]): number {
    if (typeof callback !== "function") {
      throw new TypeError(`${repeat ? "setInterval" : "setTimeout"}: the callback must be a function`);
    }
    const id = ++this.#lastTimerId;
    // CTX-FLOATING-CANCELLED: a timer set by a call's code belongs to that call; once the call is
    // over, its timers are cancelled, and one set after that never runs.
    const owner = currentCallScope(this);
    if (owner?.cancelled) return id;
    owner?.addTimer(id);
    const period = Math.max(1, Number(ms) || 0);
    const run = () => {
      if (repeat) this.#timers.set(id, addTimer(period, run));
      else {
        this.#timers.delete(id);
        owner?.timerDone(id);
      }
      try {
        if (owner === undefined) runOutsideCallScopes(this, () => callback(...args));
        else runInCallScope(owner, () => callback(...args));
      } catch (error) {
        this.log(`[reference] worker "${this.name}": uncaught exception in a timer callback: ${String(error)}`);
      }
      // An interval of a call that is over runs the one turn it was already due for, no more.
      if (repeat && owner?.cancelled) this.#clear(id);
      this.hangWatch.poke();
    };
    this.#timers.set(id, addTimer(period, run));
    return id;
  }

  /** CTX-FLOATING-CANCELLED: cancel one timer of a call that is over. */
  cancelTimer(id: number): void {
    this.#clear(id);
  }

  #clear(id: number): void {
    const entry = this.#timers.get(id);
    if (entry === undefined) return;
    cancelTimer(entry);
    this.#timers.delete(id);
    this.hangWatch.poke();
  }
}

/**
 * CTX-HUNG-CANCELLED: the host's `fetch`, each request kept on `watch` until it settles. It is a
 * host function as before, with the same name and length.
 */
function watchedFetch(watch: HangWatch): typeof fetch {
  const hostFetch = fetch;
  // `init = undefined` keeps the host's length, 1.
  const watched = { fetch: (input: Parameters<typeof fetch>[0], init: RequestInit | undefined = undefined) => watch.track(hostFetch(input, init)) }.fetch;
  return watched as typeof fetch;
}

/**
 * CTX-HUNG-CANCELLED: a subclass of the host's CompressionStream or DecompressionStream whose
 * `readable` keeps each pending read on `watch`: the host's thread pool does the work, where the
 * reference cannot see it otherwise. The readable is a stream over the host's, made on first use.
 */
function watchedTransform<C extends typeof CompressionStream | typeof DecompressionStream>(Host: C, watch: HangWatch): C {
  const readables = new WeakMap<object, ReadableStream<unknown>>();
  const readableOf = (stream: CompressionStream | DecompressionStream, host: ReadableStream<unknown>): ReadableStream<unknown> => {
    let readable = readables.get(stream);
    if (readable === undefined) {
      const reader = host.getReader();
      readable = new ReadableStream<unknown>({
        async pull(controller) {
          const { done, value } = await watch.track(reader.read());
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      readables.set(stream, readable);
    }
    return readable;
  };
  const hostReadable = Object.getOwnPropertyDescriptor(Host.prototype, "readable")!.get!;
  const Watched = {
    [Host.name]: class extends (Host as typeof CompressionStream) {
      override get readable(): CompressionStream["readable"] {
        return readableOf(this, hostReadable.call(this) as ReadableStream<unknown>) as CompressionStream["readable"];
      }
    },
  }[Host.name]!;
  return Watched as unknown as C;
}

/**
 * CTX-HUNG-CANCELLED: the host's `crypto` seen through a proxy whose `subtle` methods keep their
 * work on `watch` (it runs on the host's thread pool, where the reference cannot see it otherwise).
 * Everything else is the host's own, methods bound to it.
 */
function watchedCrypto(watch: HangWatch): Crypto {
  // Each method is wrapped once per view, so that `crypto.subtle.digest === crypto.subtle.digest`.
  const view = <T extends object>(target: T, wrap: (method: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown, extra?: (key: PropertyKey) => unknown): T => {
    const wrapped = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get(_, key) {
        const special = extra?.(key);
        if (special !== undefined) return special;
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== "function") return value;
        if (!wrapped.has(key)) wrapped.set(key, wrap((...args) => Reflect.apply(value, target, args)));
        return wrapped.get(key);
      },
    });
  };
  const subtle = view(crypto.subtle, (method) => (...args) => watch.track(method(...args) as Promise<unknown>));
  return view(crypto, (method) => method, (key) => (key === "subtle" ? subtle : undefined));
}

/**
 * The realm's Function.prototype.toString, replaced by one that prints the functions given to the
 * returned marker (and itself) as native. Returns the marker.
 */
function installNativeText(context: vm.Context): <F>(fn: F) => F {
  return vm.runInContext(
    `(() => {
      const natives = new WeakSet();
      const original = Function.prototype.toString;
      const toString = { toString() { return natives.has(this) ? "function " + this.name + "() { [native code] }" : original.call(this); } }.toString;
      natives.add(toString);
      Object.defineProperty(Function.prototype, "toString", { value: toString, writable: true, enumerable: false, configurable: true });
      return (fn) => (natives.add(fn), fn);
    })()`,
    context,
  ) as <F>(fn: F) => F;
}
