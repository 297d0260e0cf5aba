/**
 * The caller side of a service binding: what `env.S` is, and how a call crosses to the callee.
 *
 * `env.S` mirrors workerd's Fetcher:
 * - symbol keys and `then` read as undefined (a binding is not a thenable, so returning one from
 *   an async function does not try to await it);
 * - names found on `Object.prototype` resolve locally (`env.S.toString()` never makes a call);
 * - `fetch` is the HTTP path, `connect` the socket path;
 * - every other name is an RPC property (`rpc-promise.ts`), made fresh on each read as workerd does.
 *
 * A call copies the arguments into the callee's realm synchronously (so later mutation by the
 * caller is not seen), then runs the callee in a microtask: the caller's synchronous code always
 * finishes first, as with a real cross-isolate call. Results are copied back into the caller's
 * realm and exceptions rebuilt there (`errors.ts`). A call never throws synchronously: every
 * failure is a rejection.
 */
import { cloneFailure, sendFailure, toCallerError } from "./errors.ts";
import { isThenable } from "./dispatcher.ts";
import type { EntrypointDispatcher } from "./dispatcher.ts";
import { isDOMException } from "../loading/realm.ts";
import type { Realm, WorkerRealm } from "../loading/realm.ts";
import { createRpcPromise, createRpcProperty } from "./promise.ts";
import { HANDLE_SEAMS, isArrayIndex } from "./names.ts";
import { seams } from "../seams.ts";
import type { Arrival, RemoteCaller } from "./promise.ts";
import type { Copier, CopyTally } from "../copy/serialize.ts";
import { registerBinding } from "./handle-classes.ts";
import { HTTP_VALUE_SEAMS, bodyWithStringChunks } from "../copy/http-values.ts";
import { withDefaultStatusText } from "../copy/status-text.ts";
import { failedSocket } from "./socket.ts";
import { CallScope, currentCallScope, madeCall, noteDelivery, runInCallScope } from "./call-scope.ts";
import { HUNG_MESSAGE } from "./hang-watch.ts";
import type { SentArguments, StubBroker } from "./stubs.ts";
import type { LoadedWorker } from "../loading/worker.ts";

type Settle = (value: unknown) => void;

/** What one call sent, and where its callee-side result is kept for pipelining. */
interface CallRecord {
  sent: SentArguments;
  arrived: Arrival;
  /** CTX-FLOATING-CANCELLED: the callee's context for this call. */
  scope?: CallScope;
  /** CTX-FLOATING-CANCELLED: the caller's context when it made the call (its result is delivered into it). */
  callerScope?: CallScope;
}

const NOTHING_SENT: SentArguments = { values: [], release() {} };

/** A settled promise of the host's, whose reactions run a call's callee side (see #settleLater). */
const SETTLED = Promise.resolve();

/** One `[[services]]` entry of one worker, wired to its target entrypoint (workerd calls this a Fetcher). */
export class Fetcher implements RemoteCaller {
  readonly name: string;
  readonly #caller: LoadedWorker;
  readonly #callerRealm: Realm;
  readonly #target: EntrypointDispatcher;
  readonly #props: object | undefined;
  readonly #copier: Copier;
  readonly #stubs: StubBroker;
  /** When a call starts (BINDING_SEAMS.schedule), looked up once per binding. */
  readonly #schedule: (start: () => void) => void;
  #disposed = false;

  constructor(options: {
    name: string;
    caller: LoadedWorker;
    target: EntrypointDispatcher;
    props: object | undefined;
    copier: Copier;
    stubs: StubBroker;
  }) {
    this.name = options.name;
    this.#caller = options.caller;
    this.#callerRealm = options.caller.realm;
    this.#target = options.target;
    this.#props = options.props;
    this.#copier = options.copier;
    this.#stubs = options.stubs;
    this.#schedule = seams(this.#callerRealm, BINDING_SEAMS).schedule;
  }

  /** After the scenario is disposed, calls reject instead of running code in a dead scenario. */
  dispose(): void {
    this.#disposed = true;
  }

  /** `env.S.name(...args)`. */
  call(name: string, args: unknown[]): unknown {
    const realm = this.#callerRealm;
    if (this.#disposed) return createRpcPromise(realm, this.#rejected(new Error("the scenario has been disposed")));
    const steps = seams(realm, BINDING_SEAMS);
    let sent: SentArguments;
    try {
      sent = steps.sendArguments(this.#stubs, args, this.#caller, this.#target.worker);
    } catch (error) {
      return createRpcPromise(realm, this.#rejected(this.#sendFailure(error, name)));
    }
    // ENTRY-SYNC-ASYNC: sync and async methods alike give the caller a thenable.
    // (No named closures on this path: the bundler's keepNames makes each one cost a defineProperty.)
    const record: CallRecord = { sent, arrived: {}, callerScope: currentCallScope(this.#caller.realm) };
    const promise = this.#settleLater((resolve, reject) => this.#run(name, record, resolve, reject));
    madeCall(this.#caller.realm, promise);
    return steps.callResult(
      realm,
      promise,
      () => this.#stubs.pipeline(this.#caller, this.#target.worker, promise, record.arrived, () => this.#target.call(name, sent.values, this.#props, this.#caller)),
      record.arrived,
    );
  }

  /** `env.S.a.b(...)`: the first name on a fresh instance, the rest on what it gave (as pipelining). */
  callPath(path: readonly string[], args: unknown[]): unknown {
    if (path.length === 1) return this.call(path[0]!, args);
    return this.#deep(path[0]!).callPath(path.slice(1), args);
  }

  getPath(path: readonly string[]): Promise<unknown> {
    if (path.length === 1) return this.get(path[0]!);
    return this.#deep(path[0]!).getPath(path.slice(1));
  }

  #deep(name: string): RemoteCaller {
    const record: CallRecord = { sent: NOTHING_SENT, arrived: {} };
    const promise = this.#read(name, record);
    return this.#stubs.pipeline(this.#caller, this.#target.worker, promise, record.arrived, () => this.#target.get(name, this.#props, this.#caller), name);
  }

  /** `await env.S.name`: read a property (run a getter) on a fresh instance. */
  get(name: string): Promise<unknown> {
    const record: CallRecord = { sent: NOTHING_SENT, arrived: {}, callerScope: currentCallScope(this.#caller.realm) };
    const promise = this.#read(name, record);
    madeCall(this.#caller.realm, promise);
    return promise;
  }

  #read(name: string, record: CallRecord): Promise<unknown> {
    if (this.#disposed) return this.#rejected(new Error("the scenario has been disposed"));
    return this.#settleLater((resolve, reject) => {
      let value: unknown;
      try {
        value = this.#target.get(name, this.#props, this.#caller);
      } catch (error) {
        return this.#arrive(record, reject, toCallerError(error, this.#callerRealm));
      }
      this.#settle(name, value, resolve, reject, record);
    });
  }

  /** `env.S.fetch(input, init)`: builds a Request and delivers it to the target's fetch handler. */
  fetch(input: unknown, init: unknown, rawArgs: unknown[]): Promise<unknown> {
    const realm = this.#callerRealm;
    if (this.#disposed) return this.#rejected(new Error("the scenario has been disposed"));
    // BIND-FETCH-ARGUMENTS: workerd's own checks and wording come before the Request is built.
    const steps = seams(realm, BINDING_SEAMS);
    const refusal = steps.fetchArgumentsRefusal(rawArgs, input, init, this.#caller.fetchStandardUrl);
    if (refusal !== undefined) return this.#rejected(new realm.intrinsics.errors.TypeError(refusal));
    // HTTP-STREAM-STRINGS: a stream body the program built may hold strings.
    const body = (init as { body?: unknown } | undefined)?.body;
    const requestInit = body instanceof ReadableStream && !body.locked ? { ...(init as object), body: bodyWithStringChunks(body, realm), duplex: "half" } : init;
    let request: Request;
    try {
      request = steps.newRequest(input, requestInit);
    } catch (error) {
      return this.#rejected(toCallerError(error, realm, { remote: false }));
    }
    const promise = this.#settleLater((resolve, reject) => {
      // SER-HOST-TAG: the caller gets a Response of its own realm.
      const arrive = (response: Response) => resolve(seams(realm, HTTP_VALUE_SEAMS).adoptInto(steps.arrivedResponse(response), realm));
      this.#target.fetch(request, this.#props, this.#caller).then(arrive, (error: unknown) => reject(toCallerError(error, realm)));
    });
    madeCall(this.#caller.realm, promise);
    return promise;
  }

  /**
   * `env.S.connect(address, options)`. BIND-FETCH-ARGUMENTS: a bad address or options throw
   * synchronously, in workerd's words. BIND-CONNECT-SOCKET: a good one returns a Socket at once;
   * the reference runs no `connect` handler, so it is a socket whose connection failed.
   */
  connect(args: unknown[]): unknown {
    const realm = this.#caller.realm;
    const { TypeError, Error } = realm.intrinsics.errors;
    const steps = seams(realm, BINDING_SEAMS);
    const refusal = steps.connectArgumentsRefusal(args);
    if (refusal !== undefined) throw refusal.tls ? new Error(refusal.message) : new TypeError(refusal.message);
    const address = args[0];
    const port = typeof address === "object" ? Number((address as { port?: unknown }).port) : Number(String(address).slice(String(address).lastIndexOf(":") + 1));
    return steps.connectResult(realm, port);
  }

  #run(name: string, record: CallRecord, resolve: Settle, reject: Settle): void {
    let result: unknown;
    // CTX-FLOATING-CANCELLED: the method runs in a scope of its own, which ends with its result.
    const scope = seams(this.#callerRealm, BINDING_SEAMS).callScope(this.#target.worker.realm);
    record.scope = scope;
    try {
      result = scope === undefined ? this.#target.call(name, record.sent.values, this.#props, this.#caller) : runInCallScope(scope, () => this.#target.call(name, record.sent.values, this.#props, this.#caller));
    } catch (error) {
      record.sent.release();
      scope?.end(false);
      return this.#arrive(record, reject, toCallerError(error, this.#callerRealm));
    }
    this.#settle(name, result, resolve, reject, record);
  }

  /** Wait for the callee's result if it is a promise (async methods, getters returning promises), then deliver it. */
  #settle(name: string, result: unknown, resolve: Settle, reject: Settle, record?: CallRecord): void {
    try {
      if (isThenable(result)) {
        // CTX-HUNG-CANCELLED: while the result is pending, a method call is watched for a hang.
        const scope = record?.scope;
        let hung = false;
        const settled =
          scope === undefined
            ? undefined
            : seams(this.#callerRealm, BINDING_SEAMS).watchForHang(scope, () => {
                hung = true;
                record!.sent.release();
                scope.end(false);
                this.#arrive(record, reject, seams(this.#callerRealm, BINDING_SEAMS).hungError(this.#callerRealm));
              });
        result.then(
          (value) => {
            if (hung) return;
            settled?.();
            this.#deliver(name, value, resolve, reject, record);
          },
          (error: unknown) => {
            if (hung) return;
            settled?.();
            record?.sent.release();
            record?.scope?.end(false);
            this.#arrive(record, reject, toCallerError(error, this.#callerRealm));
          },
        );
        return;
      }
    } catch (error) {
      record?.sent.release();
      record?.scope?.end(false);
      return this.#arrive(record, reject, toCallerError(error, this.#callerRealm)); // a `then` getter or method that threw
    }
    this.#deliver(name, result, resolve, reject, record);
  }

  /** Copy a callee value into the caller's realm and settle the caller's promise with it. */
  #deliver(name: string, value: unknown, resolve: Settle, reject: Settle, record?: CallRecord): void {
    if (record) record.arrived.value = value;
    const tally: CopyTally = { bodies: 0, stubs: 0 };
    let copy: unknown;
    try {
      copy = seams(this.#callerRealm, BINDING_SEAMS).receiveResult(this.#stubs, value, this.#target.worker, this.#caller, record?.sent, tally);
    } catch (error) {
      record?.scope?.end(false);
      return this.#arrive(
        record,
        reject,
        isDOMException(error) && error.name === "DataCloneError"
          ? cloneFailure(error, `returning the result of ${this.#target.label}.${name}`, true, this.#callerRealm)
          : toCallerError(error, this.#callerRealm),
      );
    }
    if (record) {
      record.arrived.delivered = true;
      record.arrived.copy = copy;
    }
    // CTX-FLOATING-CANCELLED: a result holding stubs or bodies keeps the call's context alive.
    record?.scope?.end(tally.stubs + tally.bodies > 0);
    this.#arrive(record, resolve, copy);
  }

  /**
   * CTX-FLOATING-CANCELLED: a result (or error) enters the caller's worker on behalf of the call's
   * caller scope: the caller's continuations in this drain may belong to it (rpc/call-scope.ts).
   */
  #arrive(record: CallRecord | undefined, settle: Settle, value: unknown): void {
    noteDelivery(this.#caller.realm, record?.callerScope);
    settle(value);
  }

  #sendFailure(error: unknown, name: string): unknown {
    return sendFailure(error, `sending the arguments of ${this.#target.label}.${name}`, this.#callerRealm);
  }

  /**
   * A promise of the caller's realm, settled by `start` in a microtask. A rejection nobody awaits
   * is marked handled: a fire-and-forget call that fails must not take the host process down.
   */
  #settleLater(start: (resolve: Settle, reject: Settle) => void): Promise<unknown> {
    let resolve!: Settle;
    let reject!: Settle;
    const promise = new this.#callerRealm.intrinsics.Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Closures passed inline, not bound to named consts: the bundler's keepNames would name each one.
    this.#schedule(() =>
      start(resolve, (error) => {
        reject(error);
        promise.catch(() => {});
      }),
    );
    return promise;
  }

  #rejected(error: unknown): Promise<unknown> {
    const promise = this.#callerRealm.intrinsics.Promise.reject(error);
    promise.catch(() => {});
    return promise;
  }
}

/** What `env.NAME`'s property lookup works with: the caller's realm, the Fetcher, the proxied object, and its own `fetch` and `connect`. */
export interface BindingObject {
  readonly realm: WorkerRealm;
  readonly fetcher: Fetcher;
  readonly target: object;
  readonly fetch: unknown;
  readonly connect: unknown;
  /** STUB-SURFACE: the binding is an instance of its realm's Fetcher class (false only under a broken variant). */
  readonly classed: boolean;
}

/** How a binding sends a call and what `env.NAME` shows: the steps a broken variant may replace (seams.ts). */
export const BINDING_SEAMS = { member, sendArguments, callScope, watchForHang, hungError, schedule, callResult, receiveResult, fetchArgumentsRefusal, newRequest, arrivedResponse, connectArgumentsRefusal, connectResult };

/**
 * ENTRY-SYNC-ASYNC: a call (or a read, or a fetch) starts on a later microtask, never inside the
 * caller's expression, so even a synchronous method's result arrives through the thenable.
 */
function schedule(start: () => void): void {
  // A reaction on a settled promise is the same microtask as queueMicrotask's, without the
  // async_hooks resource Node makes for each queueMicrotask callback (about 60 ns a call).
  SETTLED.then(start);
}

/** ENTRY-FETCH: what the target's fetch handler receives: a Request built from the caller's arguments. */
function newRequest(input: unknown, init: unknown): Request {
  return new Request(input as RequestInfo, init as RequestInit | undefined);
}

/** BIND-FETCH-STATUS-TEXT: a Response without a statusText of its own arrives with the reason phrase. */
function arrivedResponse(response: Response): Response {
  return withDefaultStatusText(response);
}

/** BIND-CONNECT-SOCKET: a good address gives a Socket at once; the reference runs no `connect` handler, so its connection has failed. */
function connectResult(realm: WorkerRealm, port: number): unknown {
  return failedSocket(realm, port);
}

/** VIS-*: what `env.NAME[key]` is. */
function member(object: BindingObject, key: string | symbol, receiver: unknown): unknown {
  const { realm, target } = object;
  if (Object.hasOwn(target, key)) return Reflect.get(target, key, receiver); // what the worker stored on it
  // VIS-SYMBOL: symbol keys are never RPC names (the class's @@toStringTag is what they read).
  if (typeof key === "symbol") return object.classed ? Reflect.get(target, key, receiver) : undefined;
  // STUB-SURFACE: JSON.stringify(env.S) is "{}": it never reaches a remote toJSON.
  if (key === "toJSON" && !seams(realm, HANDLE_SEAMS).isRemoteName(key)) return undefined;
  // VIS-LOCAL-NAMES: Object.prototype names resolve locally and never reach the callee.
  if (key in realm.intrinsics.ObjectPrototype) return Reflect.get(target, key, receiver);
  // VIS-NAME-FUZZ: array-index keys ("0", "42") are not RPC names on workerd: they read as undefined.
  if (isArrayIndex(key)) return undefined;
  switch (key) {
    case "then":
      return undefined; // VIS-THEN: a binding is not a thenable.
    case "fetch":
      return object.fetch;
    case "connect":
      return object.connect;
    default:
      return createRpcProperty(realm, object.fetcher, key);
  }
}

/** SER-COPY-ARGS: the callee gets a copy, taken at call time (functions and RpcTargets as stubs). */
function sendArguments(stubs: StubBroker, args: unknown[], caller: LoadedWorker, callee: LoadedWorker): SentArguments {
  return stubs.copyArguments(args, caller, callee);
}

/**
 * CTX-FLOATING-CANCELLED: the scope a method call runs in, in the callee's realm. It ends when the
 * result has been delivered and the call's waitUntil work has settled; then its timers are cancelled.
 */
function callScope(callee: WorkerRealm): CallScope | undefined {
  return new CallScope(callee);
}

/**
 * CTX-HUNG-CANCELLED: watch a method call whose result is pending; `cancel` rejects its caller's
 * call with the hung error. Returns what to call once the result settles.
 */
function watchForHang(scope: CallScope, cancel: () => void): () => void {
  const watch = scope.owner.hangWatch;
  watch.wait(scope, cancel);
  return () => watch.settled(scope);
}

/** CTX-HUNG-CANCELLED: what the caller of a cancelled hung call gets: the runtime's own error, of the caller's realm, not remote. */
function hungError(caller: Realm): Error {
  return new caller.intrinsics.errors.Error(HUNG_MESSAGE);
}

/** CALL-THENABLE-NOT-PROMISE: what a call gives the caller: a thenable that is not a Promise, so names on it can pipeline. */
function callResult(realm: Realm, promise: Promise<unknown>, pipeline: () => RemoteCaller, arrived: Arrival): unknown {
  return createRpcPromise(realm, promise, pipeline, arrived);
}

/**
 * SER-COPY-RESULT: the caller gets a copy built in its own realm (functions and RpcTargets as
 * stubs). The callee is done with the stubs it was given (`params`; it must dup() what it keeps),
 * but only once its result is copied. STUB-ECHO: a parameter it returns crosses back as a live stub.
 */
function receiveResult(stubs: StubBroker, value: unknown, callee: LoadedWorker, caller: LoadedWorker, params?: SentArguments, tally?: CopyTally): unknown {
  try {
    return stubs.copyResult(value, callee, caller, tally);
  } finally {
    params?.release();
  }
}

/** The object a worker sees as `env.NAME`: a proxy in the caller's realm over a Fetcher. */
export function createBindingObject(binding: Fetcher, realm: WorkerRealm, withProps?: (props: unknown) => object): object {
  const surface = seams(realm, HANDLE_SEAMS);
  // STUB-SURFACE: an instance of the realm's Fetcher class, whose prototype holds fetch and connect;
  // CTX-EXPORTS: a loopback binding (`ctx.exports.X`) is callable: `ctx.exports.X({ props })` is a binding with those props.
  const prototype = surface.classPrototype(realm, withProps !== undefined ? "LoopbackServiceStub" : "Fetcher");
  const loopback = withProps !== undefined && prototype !== undefined;
  const target = loopback ? Object.setPrototypeOf(realm.newCallable(), prototype) : prototype ? Object.create(prototype) : new realm.intrinsics.Object();
  const fetch = prototype ? Reflect.get(target, "fetch") : realm.realmFunction("fetch", (args) => binding.fetch(args[0], args[1], args));
  const connect = prototype ? Reflect.get(target, "connect") : realm.realmFunction("connect", (args) => binding.connect(args));
  const steps = seams(realm, BINDING_SEAMS);
  const object: BindingObject = { realm, fetcher: binding, target, fetch, connect, classed: prototype !== undefined };
  const proxy: object = new Proxy(target, {
    get(_target, key, receiver) {
      return steps.member(object, key, receiver);
    },
    // STUB-SURFACE: `name in env.S` says whether reading the name gives something.
    has(target, key) {
      return surface.has(target, key, () => Reflect.get(proxy, key));
    },
    apply(_target, _this, args) {
      const options = args[0];
      if ((typeof options !== "object" && typeof options !== "function") || options === null) {
        throw new realm.intrinsics.errors.TypeError("Failed to execute '(called as function)' on 'LoopbackServiceStub': parameter 1 is not of type 'Options'.");
      }
      return withProps!((options as { props?: unknown }).props);
    },
  });
  registerBinding(proxy, { fetch: (args) => binding.fetch(args[0], args[1], args), connect: (args) => binding.connect(args) });
  return proxy;
}

/**
 * BIND-FETCH-ARGUMENTS: why workerd's `Fetcher.connect` refuses these arguments (thrown
 * synchronously), or undefined when it takes them. `tls`: an Error rather than a TypeError.
 */
function connectArgumentsRefusal(args: unknown[]): { message: string; tls?: true } | undefined {
  if (args.length === 0) return { message: "Failed to execute 'connect' on 'Fetcher': parameter 1 is not of type 'SocketAddress or string'." };
  const [address, options] = args;
  if (address === undefined || address === null) return { message: "Cannot initialize N7workerd3api13SocketAddressE with required members from an undefined or null value." };
  if (typeof address === "object") {
    const port = Number((address as { port?: unknown }).port);
    if (!Number.isInteger(port)) return { message: "The value cannot be converted because it is not an integer." };
  } else {
    const text = String(address);
    if (text === "") return { message: "Specified address is missing hostname." };
    const colon = text.lastIndexOf(":");
    if (colon === -1) return { message: "Specified address is missing port." };
    const port = text.slice(colon + 1);
    if (colon === 0 || !/^\d{1,5}$/.test(port) || Number(port) > 65535) return { message: "Specified address could not be parsed." };
  }
  if (options !== undefined && options !== null && typeof options !== "object") return { message: "Failed to execute 'connect' on 'Fetcher': parameter 2 is not of type 'SocketOptions'." };
  if ((options as { secureTransport?: unknown } | null | undefined)?.secureTransport === "on") return { message: "Incoming CONNECT with TLS not supported", tls: true };
  return undefined;
}

/**
 * BIND-FETCH-ARGUMENTS: why workerd's `Fetcher.fetch` refuses these arguments, in its words, or
 * undefined when it takes them. Before `fetch_standard_url` a bad URL reads "Fetch API cannot
 * load"; with it, "Invalid URL".
 */
function fetchArgumentsRefusal(rawArgs: unknown[], input: unknown, init: unknown, standardUrl: boolean): string | undefined {
  // An explicit `undefined` is an argument: it reads as the text "undefined".
  if (rawArgs.length === 0) return "Failed to execute 'fetch' on 'Fetcher': parameter 1 is not of type 'Request or string'.";
  if (typeof input === "symbol") return "Cannot convert a Symbol value to a string";
  const fromRequest = input instanceof Request;
  if (!fromRequest) {
    const url = String(input);
    if (!URL.canParse(url)) return standardUrl ? `Invalid URL: ${url}` : `Fetch API cannot load: ${url}`;
  }
  // The second argument, when given, is an init dictionary (any object, a function or an array too).
  if (init !== undefined && init !== null && typeof init !== "object" && typeof init !== "function") return "Failed to execute 'fetch' on 'Fetcher': parameter 2 is not of type 'RequestInitializerDict or Request'.";
  // Only http and https URLs are fetched through a binding.
  const href = fromRequest ? input.url : new URL(String(input)).href;
  if (!/^https?:$/.test(new URL(href).protocol)) return `Fetch API cannot load: ${href}`;
  const options = typeof init === "object" && init !== null ? (init as { method?: unknown; body?: unknown }) : {};
  const method = options.method === undefined ? (fromRequest ? input.method : "GET") : String(options.method);
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) return `Invalid HTTP method string: ${method}`;
  const upper = method.toUpperCase();
  if ((upper === "GET" || upper === "HEAD") && options.body !== undefined && options.body !== null) return "Request with a GET or HEAD method cannot have a body.";
  return undefined;
}
