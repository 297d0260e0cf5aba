/**
 * Booting a scenario: a set of workers loaded together, wired by their service bindings.
 *
 * Each worker is loaded once, into its own realm, and lives as long as the scenario: module state
 * persists across calls as it does in one workerd isolate. Everything that can be decided once is
 * decided here (bundling, binding targets, env objects), so that a call does only the call.
 */
import { createBindingObject, Fetcher } from "./binding.ts";
import { CTX_EXPORTS, installExecutionContext, WaitUntilTracker } from "./context.ts";
import { EntrypointDispatcher } from "./dispatcher.ts";
import { FETCH_STANDARD_URL, isFlagOn, RPC_PARAMS_DUP_STUBS, SET_TOSTRING_TAG } from "./compatibility.ts";
import { configureHandleTags, tagWorkersClasses } from "./handle-classes.ts";
import { ScenarioError } from "./errors.ts";
import { resolveFaults } from "./faults.ts";
import type { Fault, FaultSwitches } from "./faults.ts";
import { loadWorker } from "./loader.ts";
import { BudgetExceededError, MODULE_EVALUATION_BUDGET_MS, WorkerRealm } from "./realm.ts";
import { configureBoundary, Copier } from "./serialize.ts";
import { StubBroker } from "./stubs.ts";
import type { LoadedWorker } from "./worker.ts";
import { createWorkersModule, isEntrypointClass } from "./workers-module.ts";
import type { D1Engine } from "./d1/engine.ts";
import type { D1Storage } from "./d1/storage.ts";
import type { ServiceBinding, WorkerDefinition } from "./definition.ts";
import { installHTMLRewriter } from "./html-rewriter.ts";
import { addPlatformBindings, openDatabases } from "./platform-bindings.ts";

export interface ReferenceOptions {
  /** Deliberately broken variants to switch on (see `FAULTS`); for proving tests can fail. */
  faults?: Iterable<Fault>;
  /**
   * Receives what worker code did wrong off the call path (a rejected waitUntil promise, a throwing
   * timer callback or disposer). Default: console.error. The conformance adapter passes a no-op:
   * those are the tests' business, not the suite's output.
   */
  onLog?: (message: string) => void;
  /** Where D1 databases live: in memory (the default) or under a state folder. */
  d1Storage?: D1Storage;
}

/** A booted scenario. */
export interface ReferenceScenario {
  /** Deliver an HTTP request to the default export's `fetch` handler of worker `worker`. */
  fetch(worker: string, request: Request): Promise<Response>;
  /** Wait briefly for `waitUntil` work, then stop everything. Safe to call more than once. */
  dispose(): Promise<void>;
}

/** How long `dispose()` lets `waitUntil` work finish. */
const WAIT_UNTIL_GRACE_MS = 500;

export async function startScenario(workers: WorkerDefinition[], options: ReferenceOptions = {}): Promise<ReferenceScenario> {
  const faults = resolveFaults(options.faults);
  checkDefinitions(workers);
  // Functions and RpcTargets cross as stubs (stubs.ts); the broker and the copier need each other.
  let stubs: StubBroker | undefined;
  const copier = new Copier({ lossyStrings: faults["lossy-strings"], byReference: (value) => stubs!.byReference(value) });
  stubs = new StubBroker(copier, faults);
  const log = options.onLog ?? ((message: string) => console.error(message));
  const tracker = new WaitUntilTracker(log);
  const realms: WorkerRealm[] = [];
  try {
    const evaluators = await Promise.all(workers.map((definition) => bootWorker(definition, faults, tracker, realms, log, stubs)));
    const { databases, engines } = await openDatabases(workers, options.d1Storage ?? { inMemory: true });
    const booted = evaluateAll(workers, evaluators, realms[0]);
    const scenario = new Scenario(workers, new Map(booted.map((worker) => [worker.name, worker])), copier, faults, tracker, stubs, engines);
    scenario.onDispose(() => databases.close());
    return scenario;
  } catch (error) {
    for (const realm of realms) realm.clearAllTimers(); // a worker may have started timers before another failed
    throw error;
  }
}

/**
 * Run every worker's top-level code, in scenario order, under one budget for the synchronous work
 * (an endless loop at top level stops with an error naming the worker instead of freezing the
 * host). One budget for all: each budgeted run costs a watchdog thread, too much per worker.
 */
function evaluateAll(workers: WorkerDefinition[], evaluators: (() => LoadedWorker)[], realm: WorkerRealm | undefined): LoadedWorker[] {
  const booted: LoadedWorker[] = [];
  if (realm === undefined) return booted;
  try {
    realm.runWithBudget(() => evaluators.forEach((evaluate) => booted.push(evaluate())), [], MODULE_EVALUATION_BUDGET_MS, "evaluating");
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error;
    const { name, main } = workers[booted.length]!;
    const what = `evaluating ${main.replace(/^(\.\/|\/)+/, "")}`;
    throw new ScenarioError(`worker "${name}": ${what} threw ${String(new BudgetExceededError(name, what, MODULE_EVALUATION_BUDGET_MS))}`);
  }
  return booted;
}

/** What workerd says when waitUntil is called at module top level (CTX-WAITUNTIL-TOP-LEVEL). */
const GLOBAL_SCOPE_MESSAGE =
  "Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or connect()), setting a timeout, and generating random values are not allowed within global scope. To fix this error, perform this operation within a handler. https://developers.cloudflare.com/workers/runtime-apis/handlers/";

/** Fault `imported-waituntil-unsupported` only. */
function unsupportedWaitUntil(): never {
  throw new TypeError("waitUntil from cloudflare:workers is not supported; use this.ctx.waitUntil");
}

/** Set up one worker's realm and bundle its modules; the returned function evaluates them. */
async function bootWorker(
  definition: WorkerDefinition,
  faults: FaultSwitches,
  tracker: WaitUntilTracker,
  realms: WorkerRealm[],
  log: (message: string) => void,
  stubs: StubBroker,
): Promise<() => LoadedWorker> {
  const realm = new WorkerRealm(definition.name, log);
  realms.push(realm);
  installHTMLRewriter(realm);
  // SER-ERROR-VALUES, ERR-OWN-PROPERTIES: the error format follows this worker's compatibility settings.
  configureBoundary(realm, definition, faults);
  // CTX-WAITUNTIL: waitUntil work is tracked and outlives the call that started it.
  const waitUntil = faults["drop-waituntil"] ? () => {} : (promise: unknown) => tracker.track(definition.name, promise); // fault drop-waituntil (CTX-WAITUNTIL)
  // CTX-WAITUNTIL-IMPORTED: the module's waitUntil extends the scenario's lifetime like ctx.waitUntil,
  // but not while the worker's modules are being evaluated (CTX-WAITUNTIL-TOP-LEVEL).
  let evaluating = !faults["top-level-waituntil-allowed"]; // fault top-level-waituntil-allowed (CTX-WAITUNTIL-TOP-LEVEL)
  const moduleWaitUntil = faults["imported-waituntil-unsupported"] // fault imported-waituntil-unsupported (CTX-WAITUNTIL-IMPORTED)
    ? unsupportedWaitUntil
    : (promise: unknown) => {
        if (evaluating) throw new realm.intrinsics.errors.Error(GLOBAL_SCOPE_MESSAGE);
        waitUntil(promise);
      };
  // ENV-IMPORTED: the module's env is the worker's env, once #buildEnv has filled it in.
  const importedEnv = faults["imported-env-empty"] ? () => new realm.intrinsics.Object() : () => loaded.env; // fault imported-env-empty (ENV-IMPORTED)
  // STUB-RPCSTUB-WRAP: `new RpcStub(value)` is a stub held and owned by this worker.
  const workersModule = createWorkersModule(realm, moduleWaitUntil, importedEnv, faults["entrypoint-needs-runtime-ctx"], (value) => stubs.wrapLocal(value, loaded), faults["entrypoint-takes-anything"]); // faults entrypoint-needs-runtime-ctx, entrypoint-takes-anything (ENTRY-INSTANCEOF)
  // STUB-SURFACE: handle classes (and RpcStub) carry string tags only with set_tostring_tag.
  configureHandleTags(realm, isFlagOn(SET_TOSTRING_TAG, definition.compatibilityDate, definition.compatibilityFlags));
  tagWorkersClasses(realm, workersModule);
  // CTX-PRESENT: every call gets a ctx with waitUntil and passThroughOnException.
  const newContext = installExecutionContext(realm, waitUntil, faults);
  const evaluate = await loadWorker(definition, realm, { "cloudflare:workers": workersModule }, { exposePrivate: faults["expose-private"], keepBundlerNames: faults["bundler-default-name"] });
  let loaded: LoadedWorker;
  return () => {
    const exports = evaluate();
    evaluating = false;
    for (const [name, value] of Object.entries(exports)) {
      // As workerd: every export must be a function (class) or an object of handlers.
      if (typeof value !== "function" && (typeof value !== "object" || value === null)) {
        throw new ScenarioError(`worker "${definition.name}": export "${name}" is neither a class nor an object of handlers (got ${typeof value})`);
      }
    }
    // env is filled in once every worker is loaded: bindings need their targets' exports.
    const paramsDupStubs = isFlagOn(RPC_PARAMS_DUP_STUBS, definition.compatibilityDate, definition.compatibilityFlags);
    const fetchStandardUrl = isFlagOn(FETCH_STANDARD_URL, definition.compatibilityDate, definition.compatibilityFlags);
    loaded = { name: definition.name, realm, exports, workersModule, newContext, paramsDupStubs, fetchStandardUrl, env: {}, varsOnlyEnv: {}, ctxExports: undefined };
    return loaded;
  };
}

/** Problems that can be seen before loading anything: names and binding targets. */
function checkDefinitions(workers: WorkerDefinition[]): void {
  const names = new Set<string>();
  for (const worker of workers) {
    if (typeof worker.name !== "string" || worker.name === "") throw new ScenarioError(`a worker has no name`);
    if (names.has(worker.name)) throw new ScenarioError(`two workers are named "${worker.name}"`);
    names.add(worker.name);
  }
  for (const worker of workers) {
    const bindingNames = new Set(Object.keys(worker.vars));
    for (const service of worker.services) {
      const where = `worker "${worker.name}": service binding "${service.binding}"`;
      if (bindingNames.has(service.binding)) throw new ScenarioError(`worker "${worker.name}": binding name "${service.binding}" is used twice`);
      bindingNames.add(service.binding);
      if (!names.has(service.service)) {
        throw new ScenarioError(`${where} names service "${service.service}", which is not a worker of this scenario (workers: ${[...names].join(", ")})`);
      }
    }
  }
}

class Scenario implements ReferenceScenario {
  readonly #workers: Map<string, LoadedWorker>;
  readonly #copier: Copier;
  readonly #stubs: StubBroker;
  readonly #faults: FaultSwitches;
  readonly #tracker: WaitUntilTracker;
  readonly #dispatchers = new Map<LoadedWorker, Map<string, EntrypointDispatcher>>();
  readonly #fetchers: Fetcher[] = [];
  readonly #engines: Map<WorkerDefinition, Map<string, D1Engine>>;
  readonly #onDispose: (() => Promise<void>)[] = [];
  #disposed = false;

  constructor(
    definitions: WorkerDefinition[],
    workers: Map<string, LoadedWorker>,
    copier: Copier,
    faults: FaultSwitches,
    tracker: WaitUntilTracker,
    stubs: StubBroker,
    engines: Map<WorkerDefinition, Map<string, D1Engine>>,
  ) {
    this.#engines = engines;
    this.#stubs = stubs;
    this.#workers = workers;
    this.#copier = copier;
    this.#faults = faults;
    this.#tracker = tracker;
    for (const definition of definitions) this.#buildEnv(definition, workers.get(definition.name)!);
  }

  async fetch(workerName: string, request: Request): Promise<Response> {
    if (this.#disposed) throw new Error("the scenario has been disposed");
    const worker = this.#workers.get(workerName);
    if (worker === undefined) {
      throw new Error(`no worker named "${workerName}" in this scenario (workers: ${[...this.#workers.keys()].join(", ")})`);
    }
    if (!isHandler(worker, worker.exports.default)) {
      throw new Error(`worker "${workerName}" has no default export to deliver requests to`);
    }
    try {
      return await this.#dispatcher(worker, "default").fetch(request, undefined, null);
    } catch (error) {
      throw new Error(`worker "${workerName}": the fetch handler threw ${describe(error)}`, { cause: error });
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#tracker.drain(WAIT_UNTIL_GRACE_MS);
    for (const fetcher of this.#fetchers) fetcher.dispose();
    for (const worker of this.#workers.values()) worker.realm.clearAllTimers();
    for (const cleanup of this.#onDispose) await cleanup();
  }

  onDispose(cleanup: () => Promise<void>): void {
    this.#onDispose.push(cleanup);
  }

  /** ENV-VARS, ENV-SERVICE-BINDINGS: vars first (parsed), then one object per service binding. */
  #buildEnv(definition: WorkerDefinition, worker: LoadedWorker): void {
    const realm = worker.realm;
    const env = new realm.intrinsics.Object() as Record<string, unknown>;
    for (const [name, value] of Object.entries(definition.vars)) {
      if (typeof value === "string") env[name] = value;
      else if (this.#faults["json-vars-as-strings"]) env[name] = JSON.stringify(value); // fault json-vars-as-strings (ENV-VARS)
      else {
        try {
          env[name] = this.#copier.copy(value, realm);
        } catch (error) {
          throw new ScenarioError(`worker "${worker.name}": var "${name}" is not a JSON value (${describe(error)})`);
        }
      }
    }
    worker.varsOnlyEnv = this.#faults["callee-env-without-services"] ? Object.assign(new realm.intrinsics.Object(), env) : env;
    const firstTo = new Map<string, unknown>(); // fault same-target-bindings-shared only
    for (const service of definition.services) {
      const target = this.#workers.get(service.service)!;
      // BIND-SELF: a binding to the worker itself is wired like any other.
      if (target === worker && this.#faults["self-binding-missing"]) continue; // fault self-binding-missing (BIND-SELF)
      // BIND-SAME-TARGET-TWICE: every binding gets its own object, even to an entrypoint already bound.
      const key = `${service.service}\0${service.entrypoint ?? ""}`;
      if (this.#faults["same-target-bindings-shared"] && firstTo.has(key)) { env[service.binding] = firstTo.get(key); continue; } // fault same-target-bindings-shared (BIND-SAME-TARGET-TWICE)
      const fetcher = new Fetcher({
        name: service.binding,
        caller: worker,
        target: this.#dispatcher(target, this.#targetExport(worker, service, target)),
        props: service.props,
        copier: this.#copier,
        stubs: this.#stubs,
        faults: this.#faults,
      });
      this.#fetchers.push(fetcher);
      env[service.binding] = createBindingObject(fetcher, realm);
      firstTo.set(key, env[service.binding]);
    }
    addPlatformBindings(env, definition, realm, this.#engines.get(definition));
    worker.env = env;
    // CTX-EXPORTS: loopback bindings to the worker's own entrypoints, behind enable_ctx_exports.
    if (isFlagOn(CTX_EXPORTS, definition.compatibilityDate, definition.compatibilityFlags) && !this.#faults["no-ctx-exports"]) worker.ctxExports = this.#loopbackExports(worker); // fault no-ctx-exports (CTX-EXPORTS)
  }

  /** `ctx.exports`: one binding per entrypoint the worker exports (the default one included), without props. */
  #loopbackExports(worker: LoadedWorker): object {
    const exports = new worker.realm.intrinsics.Object() as Record<string, unknown>;
    const names = Object.keys(worker.exports).sort((a, b) => Number(b === "default") - Number(a === "default")); // default first, as workerd lists it
    for (const name of names) {
      const value = worker.exports[name];
      if (!(name === "default" ? isHandler(worker, value) : isEntrypointClass(worker.workersModule, value))) continue;
      const loopback = (props: unknown): Fetcher => {
        const fetcher = new Fetcher({
          name,
          caller: worker,
          target: this.#dispatcher(worker, name),
          // Taken now: later changes to the caller's object do not reach the binding.
          props: props === undefined ? undefined : (this.#copier.copy(props, worker.realm) as object),
          copier: this.#copier,
          stubs: this.#stubs,
          faults: this.#faults,
        });
        this.#fetchers.push(fetcher);
        return fetcher;
      };
      exports[name] = createBindingObject(loopback(undefined), worker.realm, (props) => createBindingObject(loopback(props), worker.realm));
    }
    return exports;
  }

  /**
   * Which export a binding reaches, checked now so a wrong name fails at start, not at the
   * first call. BIND-DEFAULT-ENTRYPOINT: no `entrypoint` means the default export;
   * BIND-NAMED-ENTRYPOINT: `entrypoint = "X"` means the named export X, a WorkerEntrypoint class
   * or (BIND-NAMED-OBJECT) an object of handlers.
   */
  #targetExport(caller: LoadedWorker, service: ServiceBinding, target: LoadedWorker): string {
    const where = `worker "${caller.name}": service binding "${service.binding}"`;
    // BIND-DEFAULT-NOT-NAMED: "default" is not a named entrypoint; workerd refuses the binding at start.
    if (service.entrypoint === "default") {
      throw new ScenarioError(`${where} names entrypoint "default", but the default export of worker "${target.name}" is not a named entrypoint: leave entrypoint out to reach it`);
    }
    let exportName = service.entrypoint ?? "default";
    if (this.#faults["ignore-entrypoint"]) exportName = "default"; // fault ignore-entrypoint (BIND-NAMED-ENTRYPOINT)
    else if (service.entrypoint === undefined && this.#faults["default-is-first-named"]) {
      exportName = namedEntrypoints(target)[0] ?? "default"; // fault default-is-first-named (BIND-DEFAULT-ENTRYPOINT)
    }
    const exported = target.exports[exportName];
    // BIND-NOT-ENTRYPOINT: a function or a class not extending WorkerEntrypoint is bound too (every
    // call through it fails); only a missing export, or one that is no function or object, is refused.
    const refused = !isBindable(exported);
    if (exportName === "default") {
      if (refused) {
        throw new ScenarioError(
          `${where} reaches the default export of worker "${target.name}", which ${exported === undefined ? "has none" : "is neither a class extending WorkerEntrypoint nor an object of handlers"}`,
        );
      }
    } else if (!Object.hasOwn(target.exports, exportName)) {
      throw new ScenarioError(`${where} names entrypoint "${exportName}", but worker "${target.name}" has no export of that name`);
    } else if (refused) {
      throw new ScenarioError(
        `${where} names entrypoint "${exportName}", but that export of worker "${target.name}" is neither a class extending WorkerEntrypoint nor an object of handlers`,
      );
    } else if (!isEntrypointClass(target.workersModule, exported) && this.#faults["named-object-is-default"]) {
      return "default"; // fault named-object-is-default (BIND-NAMED-OBJECT)
    }
    return exportName;
  }

  #dispatcher(worker: LoadedWorker, exportName: string): EntrypointDispatcher {
    let byExport = this.#dispatchers.get(worker);
    if (byExport === undefined) this.#dispatchers.set(worker, (byExport = new Map()));
    let dispatcher = byExport.get(exportName);
    if (dispatcher === undefined) {
      const siblings = () => entrypointExports(worker).map((name) => this.#dispatcher(worker, name));
      dispatcher = new EntrypointDispatcher(worker, exportName, this.#copier, this.#faults, siblings);
      byExport.set(exportName, dispatcher);
    }
    return dispatcher;
  }
}

/** A default export that can receive requests: an entrypoint class or an object of handlers. */
function isHandler(worker: LoadedWorker, value: unknown): boolean {
  return isEntrypointClass(worker.workersModule, value) || (typeof value === "object" && value !== null);
}

/** What a binding may target: a handler, or (BIND-NOT-ENTRYPOINT) a function whose calls all fail. */
function isBindable(value: unknown): boolean {
  return typeof value === "function" || (typeof value === "object" && value !== null);
}

/** Named exports that are WorkerEntrypoint classes, in the order the bundle lists them. */
function namedEntrypoints(worker: LoadedWorker): string[] {
  return Object.keys(worker.exports).filter((name) => name !== "default" && isEntrypointClass(worker.workersModule, worker.exports[name]));
}

/** Every export that is a WorkerEntrypoint class, the default one included. */
function entrypointExports(worker: LoadedWorker): string[] {
  return Object.keys(worker.exports).filter((name) => isEntrypointClass(worker.workersModule, worker.exports[name]));
}

function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return "an exception";
  }
}
