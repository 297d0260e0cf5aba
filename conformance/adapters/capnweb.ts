/**
 * The `capnweb` adapter: Cloudflare's pure-JavaScript RPC library (npm `capnweb`, an optional
 * peer dependency) standing in for Workers RPC. What the suite measures is capnweb's RPC
 * semantics; everything a Workers runtime does around RPC is emulated here, and declared so
 * (`emulates`, shown in reports). The write-up of what differs is `capnweb.md`, next to this file.
 *
 * - Every worker's modules run in this Node process (bundle.ts), each once, in this realm (capnweb
 *   recognises values by this realm's prototypes). `cloudflare:workers` is capnweb's `RpcTarget`
 *   and `RpcStub`, a `WorkerEntrypoint` that extends that `RpcTarget`, the worker's `env` and
 *   `waitUntil`.
 * - Each service binding is one capnweb session over a transport: the caller's `env.B` is the
 *   session's remote main stub; the callee side's main object is the binding's target export.
 *   Transport `messageport` (adapter `capnweb`): a `MessageChannel`, structured clone (capnweb's
 *   `newMessagePortRpcSession` transport). Transport `string` (adapter `capnweb-string`): the same
 *   channel carrying only strings, i.e. capnweb's JSON wire as WebSocket and HTTP batch use it.
 * - capnweb has one main object per session; Workers makes a new entrypoint instance per call
 *   (ENTRY-NEW-INSTANCE). capnweb has no mechanism for that, so the main object is a Proxy whose
 *   prototype is the entrypoint class's prototype (capnweb's own lookup rules apply unchanged) and
 *   whose property reads construct a fresh instance with a fresh `ctx` for each call or read.
 * - A plain-object default export (a handler object) is wrapped so that `m(x)` arrives as
 *   `m(x, env, ctx)`, and `binding.fetch(input, init)` arrives as `fetch(new Request(input, init))`.
 * - The probe workers' `fetch` is called directly; a throw escaping it is answered as
 *   `{ probeThrew: error }`; a probe still pending after `probe-timeout` ms makes `fetch` reject
 *   with a `TimeoutError`, which the suite reports as a timeout of that case.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type * as Capnweb from "capnweb";
import { ADAPTER_CONTRACT_VERSION, type Adapter, type RunningScenario, type RuntimeInfo, type Scenario, type WorkerConfig } from "../contract.ts";
import { respond } from "../harness/harness.js";
import { bundleWorker, evaluateWorker } from "./bundle.ts";

export type CapnwebTransport = "messageport" | "string";

export const CAPNWEB_TRANSPORTS: Record<CapnwebTransport, { adapterName: string; description: string }> = {
  messageport: { adapterName: "capnweb", description: "a MessageChannel, structured clone (newMessagePortRpcSession)" },
  string: { adapterName: "capnweb-string", description: "capnweb's JSON string wire (what WebSocket and HTTP batch sessions carry), over a MessageChannel" },
};

export const CAPNWEB_OPTIONS: Record<string, string> = {
  transport: `how each service binding's session is carried: ${Object.keys(CAPNWEB_TRANSPORTS).join(" or ")} (default messageport)`,
  "probe-timeout": "ms a probe may take before the adapter gives up on it with a TimeoutError, reported as a timeout (default 25000)",
};

/**
 * Requirements this adapter provides itself rather than capnweb (reports mark them "emulated").
 * A pass there says the emulation works, not that capnweb does it.
 */
export const CAPNWEB_EMULATES: Record<string, string> = {
  "ENTRY-NEW-INSTANCE": "capnweb has one main object per session; the adapter constructs a new instance per call or property read",
  "ENTRY-STATELESS": "follows from the adapter's new instance per call",
  "CTX-PRESENT": "ctx is made by the adapter",
  "CTX-PER-CALL": "the adapter makes a new ctx per call",
  "CTX-PASSTHROUGH": "ctx.passThroughOnException is the adapter's",
  "CTX-PROPS": "ctx.props is the binding's props, held by the adapter",
  "CTX-EXPORTS": "ctx.exports is built by the adapter, one capnweb session per entrypoint",
  "CTX-WAITUNTIL": "waitUntil is the adapter's (Node keeps promises running anyway)",
  "CTX-WAITUNTIL-IMPORTED": "the waitUntil export of cloudflare:workers is the adapter's (AsyncLocalStorage)",
  "CTX-WAITUNTIL-TOP-LEVEL": "the adapter's waitUntil throws outside a call",
  "ENV-VARS": "env is built by the adapter",
  "ENV-SAME-OBJECT": "env is built by the adapter",
  "ENV-CALLEE-OWN": "env is built by the adapter",
  "ENV-IMPORTED": "the env export of cloudflare:workers is the adapter's",
  "ENTRY-FETCH": "binding.fetch(input, init) is an RPC call whose callee side builds new Request(input, init)",
  "BIND-DEFAULT-OBJECT": "handler-object methods receive (args…, env, ctx) from the adapter's wrapper",
};

const CTX_EXPORTS_FROM = "2025-11-17";

type CapnwebModule = typeof Capnweb;

let loaded: Promise<CapnwebModule> | undefined;
function loadCapnweb(): Promise<CapnwebModule> {
  loaded ??= import("capnweb").catch((error: unknown) => {
    loaded = undefined;
    throw new Error(
      `the capnweb adapter needs the npm package "capnweb" (an optional peer dependency of this suite): ` +
        `npm install --save-dev capnweb@^0.12  (${error instanceof Error ? error.message : String(error)})`,
    );
  });
  return loaded;
}

function capnwebVersion(): string {
  try {
    return (createRequire(import.meta.url)("capnweb/package.json") as { version: string }).version;
  } catch {
    // capnweb's exports map does not list package.json: read it next to the resolved entry.
    const require = createRequire(import.meta.url);
    const entry = require.resolve("capnweb");
    return (require(entry.replace(/dist\/[^/]+$/, "package.json")) as { version: string }).version;
  }
}

export interface CapnwebAdapterOptions {
  transport?: CapnwebTransport;
  probeTimeoutMs?: number;
}

/** Validates `--adapter-option key=value` pairs for this adapter. */
export function capnwebOptions(raw: Record<string, string>, defaults: CapnwebAdapterOptions = {}): CapnwebAdapterOptions {
  const out: CapnwebAdapterOptions = { ...defaults };
  for (const [key, value] of Object.entries(raw)) {
    if (key === "transport") {
      if (!(value in CAPNWEB_TRANSPORTS)) throw new Error(`adapter option transport=${value}: expected one of ${Object.keys(CAPNWEB_TRANSPORTS).join(", ")}`);
      out.transport = value as CapnwebTransport;
    } else if (key === "probe-timeout") {
      if (!/^\d+$/.test(value)) throw new Error(`adapter option probe-timeout=${value}: expected a whole number of milliseconds`);
      out.probeTimeoutMs = Number(value);
    } else {
      throw new Error(`unknown adapter option "${key}" for capnweb; known options: ${Object.keys(CAPNWEB_OPTIONS).join(", ")}`);
    }
  }
  return out;
}

export function createCapnwebAdapter(options: CapnwebAdapterOptions = {}): Adapter {
  const transport = options.transport ?? "messageport";
  return {
    name: CAPNWEB_TRANSPORTS[transport].adapterName,
    contractVersion: ADAPTER_CONTRACT_VERSION,
    concurrentScenarios: 2,
    emulates: CAPNWEB_EMULATES,
    async runtime(): Promise<RuntimeInfo> {
      await loadCapnweb();
      return {
        name: "capnweb",
        version: capnwebVersion(),
        details: { transport: `${transport}: ${CAPNWEB_TRANSPORTS[transport].description}`, node: process.version },
      };
    },
    async start(scenario: Scenario): Promise<RunningScenario> {
      const capnweb = await loadCapnweb();
      return startScenario(capnweb, scenario, transport, options.probeTimeoutMs ?? 25_000);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// a scenario

interface LoadedWorker {
  config: WorkerConfig;
  exports: Record<string, unknown>;
  env: Record<string, unknown>;
  ctxExports: object | undefined;
}

interface Ctx {
  waitUntil(promise: unknown): void;
  passThroughOnException(): void;
  props: unknown;
  exports?: object;
}

/** The ctx of the call running now, for `waitUntil` imported from `cloudflare:workers`. */
const currentCall = new AsyncLocalStorage<Ctx>();

async function startScenario(capnweb: CapnwebModule, scenario: Scenario, transport: CapnwebTransport, probeTimeoutMs: number): Promise<RunningScenario> {
  const { RpcTarget, RpcStub, RpcSession } = capnweb;
  class WorkerEntrypoint extends RpcTarget {
    ctx: unknown;
    env: unknown;
    constructor(ctx: unknown, env: unknown) {
      super();
      this.ctx = ctx;
      this.env = env;
    }
  }
  const closers: (() => void)[] = [];

  const makeCtx = (props: unknown, worker: LoadedWorker): Ctx => {
    const ctx: Ctx = {
      waitUntil(promise) {
        // Node keeps the work running by itself; a rejection must not become an unhandled one.
        Promise.resolve(promise).catch(() => {});
      },
      passThroughOnException() {},
      props,
    };
    if (worker.ctxExports) ctx.exports = worker.ctxExports;
    return ctx;
  };

  /** The callee side's main object for one binding (see the file comment). */
  const mainFor = (worker: LoadedWorker, exportName: string, props: unknown): unknown => {
    const exported = worker.exports[exportName];
    const env = worker.env;
    if (typeof exported === "function") {
      const Cls = exported as new (ctx: unknown, env: unknown) => object;
      const proto = Cls.prototype as object;
      const template = Object.create(proto) as object;
      const fresh = () => {
        const ctx = makeCtx(props, worker);
        return { ctx, instance: currentCall.run(ctx, () => new Cls(ctx, env)) };
      };
      return new Proxy(template, {
        get(target, name, receiver) {
          if (typeof name !== "string") return Reflect.get(target, name, receiver);
          const found = findOnChain(proto, name);
          if (!found || found.owner === Object.prototype) return Reflect.get(target, name, receiver);
          const { descriptor } = found;
          if (descriptor.get) {
            const { ctx, instance } = fresh();
            return currentCall.run(ctx, () => descriptor.get!.call(instance));
          }
          const value = descriptor.value;
          if (typeof value !== "function") return value;
          const call = name === "fetch"
            ? function (this: unknown, input: unknown, init?: unknown) {
                const { ctx, instance } = fresh();
                return currentCall.run(ctx, () => value.call(instance, new Request(input as RequestInfo, init as RequestInit)));
              }
            : function (this: unknown, ...args: unknown[]) {
                const { ctx, instance } = fresh();
                return currentCall.run(ctx, () => value.apply(instance, args));
              };
          Object.defineProperty(call, "name", { value: name });
          Object.defineProperty(call, "length", { value: value.length });
          return call;
        },
      });
    }
    if (exported !== null && typeof exported === "object" && !(exported instanceof RpcTarget)) {
      // A handler object: its own functions become methods of an RpcTarget that add (env, ctx).
      const handler = exported as Record<string, unknown>;
      const proto = Object.create(RpcTarget.prototype) as Record<string, unknown>;
      for (const key of Object.keys(handler)) {
        const fn = handler[key];
        if (typeof fn !== "function") continue;
        proto[key] = key === "fetch"
          ? function (input: unknown, init?: unknown) {
              const ctx = makeCtx(props, worker);
              return currentCall.run(ctx, () => fn.call(handler, new Request(input as RequestInfo, init as RequestInit), env, ctx));
            }
          : function (...args: unknown[]) {
              // Workers sends a handler function exactly one argument; the emulation refuses others as it does.
              if (args.length !== 1) {
                throw new TypeError(
                  `Attempted to call RPC function "${key}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`,
                );
              }
              const ctx = makeCtx(props, worker);
              return currentCall.run(ctx, () => fn.call(handler, ...args, env, ctx));
            };
      }
      return Object.create(proto);
    }
    // Anything else is handed to capnweb as it is; what capnweb makes of it is observed.
    return exported;
  };

  /** One capnweb session: returns the caller's stub for `main`. */
  const connect = (main: unknown): unknown => {
    const channel = new MessageChannel();
    const [calleeTransport, callerTransport] =
      transport === "string" ? [new StringPortTransport(channel.port1), new StringPortTransport(channel.port2)] : [undefined, undefined];
    let stub: unknown;
    if (transport === "string") {
      new RpcSession(calleeTransport!, main as Capnweb.RpcTarget);
      stub = new RpcSession(callerTransport!).getRemoteMain();
    } else {
      capnweb.newMessagePortRpcSession(channel.port1, main as Capnweb.RpcTarget);
      stub = capnweb.newMessagePortRpcSession(channel.port2);
    }
    closers.push(() => {
      try {
        (stub as Disposable)[Symbol.dispose]();
      } catch {
        // already broken
      }
      channel.port1.close();
      channel.port2.close();
    });
    return stub;
  };

  // Load every worker: bundle, evaluate with its own cloudflare:workers.
  const workers = new Map<string, LoadedWorker>();
  const codes = await Promise.all(scenario.workers.map((w) => bundleWorker(w)));
  scenario.workers.forEach((config, i) => {
    const worker: LoadedWorker = { config, exports: {}, env: {}, ctxExports: undefined };
    const host = {
      WorkerEntrypoint,
      RpcTarget,
      RpcStub,
      get env() {
        return worker.env;
      },
      waitUntil(promise: unknown) {
        const ctx = currentCall.getStore();
        if (!ctx) throw new Error("waitUntil() can only be called while a request or call is being handled, not at a module's top level");
        ctx.waitUntil(promise);
      },
    };
    worker.exports = evaluateWorker(codes[i]!, config.name, { "cloudflare:workers": host });
    workers.set(config.name, worker);
  });

  // Wire env: vars, then one session per service binding.
  for (const worker of workers.values()) {
    const { config } = worker;
    for (const [key, value] of Object.entries(config.vars)) worker.env[key] = typeof value === "string" ? value : structuredClone(value);
    for (const service of config.services) {
      const target = workers.get(service.service);
      if (!target) throw new Error(`worker "${config.name}": binding ${service.binding} names service "${service.service}", which is not in the scenario`);
      const exportName = service.entrypoint ?? "default";
      if (!(exportName in target.exports)) {
        throw new Error(`worker "${config.name}": binding ${service.binding} names entrypoint "${exportName}" of "${service.service}", which it does not export`);
      }
      let stub: unknown;
      Object.defineProperty(worker.env, service.binding, {
        enumerable: true,
        configurable: true,
        get: () => (stub ??= connect(mainFor(target, exportName, service.props ?? {}))),
      });
    }
    const flags = config.compatibilityFlags;
    const ctxExportsOn = flags.includes("enable_ctx_exports") || (!flags.includes("disable_ctx_exports") && config.compatibilityDate >= CTX_EXPORTS_FROM);
    if (ctxExportsOn) {
      const ctxExports: Record<string, unknown> = {};
      const names = Object.keys(worker.exports).sort((a, b) => Number(b === "default") - Number(a === "default"));
      for (const name of names) {
        let stub: unknown;
        Object.defineProperty(ctxExports, name, { enumerable: true, get: () => (stub ??= connect(mainFor(worker, name, {}))) });
      }
      worker.ctxExports = ctxExports;
    }
  }

  const probes = new Set(scenario.probes ?? scenario.workers.map((w) => w.name));
  let disposed = false;
  return {
    async fetch(workerName: string, request: Request): Promise<Response> {
      const worker = workers.get(workerName);
      if (!worker || !probes.has(workerName)) throw new Error(`worker "${workerName}" is not a probe of this scenario`);
      const main = worker.exports.default as { fetch?: (request: Request, env: unknown, ctx: unknown) => unknown } | undefined;
      if (!main || typeof main.fetch !== "function") throw new Error(`worker "${workerName}": the default export has no fetch handler`);
      const ctx = makeCtx({}, worker);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Error(`the probe did not answer within ${probeTimeoutMs} ms (a call that never settles)`);
      timedOut.name = "TimeoutError";
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut), probeTimeoutMs);
      });
      try {
        const answer = await Promise.race([currentCall.run(ctx, () => Promise.resolve().then(() => main.fetch!(request, worker.env, ctx))), timeout]);
        if (!(answer instanceof Response)) throw new TypeError(`the probe's fetch handler returned ${String(answer)}, not a Response`);
        return answer;
      } catch (error) {
        // A hang is the suite's `timeout` (with this case); anything the probe threw is its answer.
        if (error === timedOut) throw error;
        return respond({ probeThrew: error });
      } finally {
        clearTimeout(timer);
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const close of closers) close();
    },
  };
}

function findOnChain(start: object, name: string): { owner: object; descriptor: PropertyDescriptor } | undefined {
  for (let o: object | null = start; o; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor) return { owner: o, descriptor };
  }
  return undefined;
}

/**
 * capnweb's string wire (`encodingLevel` "string", the default): every message is the JSON text a
 * WebSocket or HTTP batch session would carry, posted over a MessagePort.
 */
class StringPortTransport implements Capnweb.RpcTransport {
  #queue: string[] = [];
  #waiting: { resolve: (m: string) => void; reject: (e: unknown) => void } | undefined;
  #error: unknown;
  #port: MessagePort;
  constructor(port: MessagePort) {
    this.#port = port;
    port.addEventListener("message", (event: MessageEvent) => {
      if (event.data === null) return this.#fail(new Error("peer closed the connection"));
      const text = event.data as string;
      if (this.#waiting) {
        this.#waiting.resolve(text);
        this.#waiting = undefined;
      } else this.#queue.push(text);
    });
    port.start();
  }
  async send(message: string): Promise<void> {
    if (typeof message !== "string") throw new TypeError(`string transport asked to send a ${typeof message}`);
    if (this.#error) throw this.#error;
    this.#port.postMessage(message);
  }
  receive(): Promise<string> {
    if (this.#queue.length) return Promise.resolve(this.#queue.shift()!);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }
  abort(reason: unknown): void {
    try {
      this.#port.postMessage(null);
    } catch {
      // closed already
    }
    this.#fail(reason);
  }
  #fail(reason: unknown) {
    if (this.#error) return;
    this.#error = reason ?? new Error("connection closed");
    this.#waiting?.reject(this.#error);
    this.#waiting = undefined;
  }
}
