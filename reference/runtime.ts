/**
 * Booting a scenario: a set of workers loaded together, wired by their service bindings.
 *
 * Each worker is loaded once, into its own realm, and lives as long as the scenario: module state
 * persists across calls as it does in one workerd isolate. Everything that can be decided once is
 * decided here (bundling, binding targets, env objects), so that a call does only the call.
 */
import { createBindingObject, Fetcher } from "./rpc/binding.ts";
import { CTX_EXPORTS, installExecutionContext, WaitUntilTracker } from "./rpc/context.ts";
import { EntrypointDispatcher } from "./rpc/dispatcher.ts";
import { FETCH_STANDARD_URL, isFlagOn, RPC_PARAMS_DUP_STUBS, SET_TOSTRING_TAG } from "./loading/compatibility.ts";
import { configureHandleTags, tagWorkersClasses } from "./rpc/handle-classes.ts";
import { ScenarioError } from "./rpc/errors.ts";
import { loadWorker } from "./loading/loader.ts";
import { BudgetExceededError, MODULE_EVALUATION_BUDGET_MS, WorkerRealm } from "./loading/realm.ts";
import { WEB_CLASS_SEAMS } from "./loading/web-classes.ts";
import { configureBoundary, Copier } from "./copy/serialize.ts";
import { installSeams, seams, type SeamTable } from "./seams.ts";
import { StubBroker } from "./rpc/stubs.ts";
import type { LoadedWorker } from "./loading/worker.ts";
import { createWorkersModule, isEntrypointClass } from "./loading/workers-module.ts";
import type { D1Engine } from "./d1/engine.ts";
import type { D1Storage } from "./d1/storage.ts";
import type { ServiceBinding, WorkerDefinition } from "./loading/definition.ts";
import { installHTMLRewriter } from "./platform/html-rewriter.ts";
import { addPlatformBindings, openDatabases } from "./platform/bindings.ts";

export interface ReferenceOptions {
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

export function startScenario(workers: WorkerDefinition[], options: ReferenceOptions = {}): Promise<ReferenceScenario> {
  return boot(workers, options, undefined);
}

/**
 * Test-only, not exported by index.ts: the scenario with a deliberately broken variant's steps
 * (seams.ts), which is how the project shows that each conformance test can fail.
 */
export function startBrokenScenario(workers: WorkerDefinition[], options: ReferenceOptions, variant: SeamTable): Promise<ReferenceScenario> {
  return boot(workers, options, variant);
}

async function boot(workers: WorkerDefinition[], options: ReferenceOptions, variant: SeamTable | undefined): Promise<ReferenceScenario> {
  checkDefinitions(workers);
  // Functions and RpcTargets cross as stubs (stubs.ts); the broker and the copier need each other.
  let stubs: StubBroker | undefined;
  const copier = new Copier({ byReference: (value) => stubs!.byReference(value) });
  stubs = new StubBroker(copier);
  const log = options.onLog ?? ((message: string) => console.error(message));
  const tracker = new WaitUntilTracker(log);
  const realms: WorkerRealm[] = [];
  try {
    const evaluators = await Promise.all(workers.map((definition) => bootWorker(definition, tracker, realms, log, stubs, variant)));
    const { databases, engines } = await openDatabases(workers, options.d1Storage ?? { inMemory: true });
    const booted = evaluateAll(workers, evaluators, realms[0]);
    const scenario = new Scenario(workers, new Map(booted.map((worker) => [worker.name, worker])), copier, tracker, stubs, engines);
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

/** How a scenario wires its workers: the steps a broken variant may replace (seams.ts). */
export const RUNTIME_SEAMS = { apiTagsOn, waitUntilFor, moduleWaitUntil, tagWorkersClasses, importedEnv, envVar, servicesOf, bindingFor, loopbackBinding, targetExport, ctxExportsOn };

/** SER-HOST-TAG: whether a worker's DOMException carries Symbol.toStringTag follows its compatibility settings (set_tostring_tag). */
function apiTagsOn(definition: WorkerDefinition): boolean {
  return isFlagOn(SET_TOSTRING_TAG, definition.compatibilityDate, definition.compatibilityFlags);
}

/** CTX-WAITUNTIL: a worker's waitUntil: its work is tracked and outlives the call that started it. */
function waitUntilFor(tracker: WaitUntilTracker, worker: string, realm: WorkerRealm): (promise: unknown) => void {
  // CTX-FLOATING-CANCELLED: the call current in this worker (if any) lives until the work settles.
  return (promise) => tracker.track(worker, promise, realm);
}

/**
 * CTX-WAITUNTIL-IMPORTED: the module's waitUntil extends the scenario's lifetime like ctx.waitUntil,
 * but not while the worker's modules are being evaluated (CTX-WAITUNTIL-TOP-LEVEL).
 */
function moduleWaitUntil(realm: WorkerRealm, waitUntil: (promise: unknown) => void, evaluating: () => boolean): (promise: unknown) => void {
  return (promise) => {
    if (evaluating()) throw new realm.intrinsics.errors.Error(GLOBAL_SCOPE_MESSAGE);
    waitUntil(promise);
  };
}

/** ENV-IMPORTED: the module's env is the worker's env, once #buildEnv has filled it in. */
function importedEnv(_realm: WorkerRealm, env: () => object): () => object {
  return env;
}

/** ENV-VARS: a var as the worker sees it: a string as it is, any other JSON value parsed (a copy in its realm). */
function envVar(copier: Copier, realm: WorkerRealm, value: unknown): unknown {
  return typeof value === "string" ? value : copier.copy(value, realm);
}

/** ENV-SERVICE-BINDINGS, BIND-SELF: the service bindings a worker's env gets: all of them, one to itself included. */
function servicesOf(definition: WorkerDefinition): readonly ServiceBinding[] {
  return definition.services;
}

/** BIND-SAME-TARGET-TWICE: every binding gets its own object, even to an entrypoint already bound. */
function bindingFor(realm: WorkerRealm, fetcher: Fetcher, _service: ServiceBinding): object {
  return createBindingObject(fetcher, realm);
}

/** CTX-EXPORTS: `ctx.exports.X` is a binding that can also be called: `ctx.exports.X({ props })` is one with those props. */
function loopbackBinding(realm: WorkerRealm, fetcher: Fetcher, withProps: (props: unknown) => object): object {
  return createBindingObject(fetcher, realm, withProps);
}

/** CTX-EXPORTS: loopback bindings to the worker's own entrypoints, behind enable_ctx_exports. */
function ctxExportsOn(definition: WorkerDefinition): boolean {
  return isFlagOn(CTX_EXPORTS, definition.compatibilityDate, definition.compatibilityFlags);
}

/** Set up one worker's realm and bundle its modules; the returned function evaluates them. */
async function bootWorker(
  definition: WorkerDefinition,
  tracker: WaitUntilTracker,
  realms: WorkerRealm[],
  log: (message: string) => void,
  stubs: StubBroker,
  variant: SeamTable | undefined,
): Promise<() => LoadedWorker> {
  // The realm is made with its tags, before seams(realm, …) can find a variant's steps for it.
  const toStringTags = (variant?.get(RUNTIME_SEAMS) ?? RUNTIME_SEAMS).apiTagsOn(definition);
  const realmMember = (variant?.get(WEB_CLASS_SEAMS) ?? WEB_CLASS_SEAMS).realmMember; // SER-HOST-TAG (web-classes.ts)
  const realm = new WorkerRealm(definition.name, log, { toStringTags, realmMember });
  if (variant !== undefined) installSeams(realm, variant);
  realms.push(realm);
  installHTMLRewriter(realm);
  // SER-ERROR-VALUES, ERR-OWN-PROPERTIES: the error format follows this worker's compatibility settings.
  configureBoundary(realm, definition);
  const steps = seams(realm, RUNTIME_SEAMS);
  const waitUntil = steps.waitUntilFor(tracker, definition.name, realm);
  let evaluating = true;
  const moduleWaitUntil = steps.moduleWaitUntil(realm, waitUntil, () => evaluating);
  const importedEnv = steps.importedEnv(realm, () => loaded.env);
  // STUB-RPCSTUB-WRAP: `new RpcStub(value)` is a stub held and owned by this worker.
  const workersModule = createWorkersModule(realm, moduleWaitUntil, importedEnv, (value) => stubs.wrapLocal(value, loaded));
  // STUB-SURFACE: handle classes (and RpcStub) carry string tags only with set_tostring_tag.
  configureHandleTags(realm, isFlagOn(SET_TOSTRING_TAG, definition.compatibilityDate, definition.compatibilityFlags));
  // ENTRY-STRING-TAG: so do WorkerEntrypoint and RpcTarget.
  steps.tagWorkersClasses(realm, workersModule);
  // CTX-PRESENT: every call gets a ctx with waitUntil and passThroughOnException.
  const newContext = installExecutionContext(realm, waitUntil);
  const evaluate = await loadWorker(definition, realm, { "cloudflare:workers": workersModule });
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
    loaded = { name: definition.name, realm, exports, workersModule, newContext, paramsDupStubs, fetchStandardUrl, env: {}, ctxExports: undefined };
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
    tracker: WaitUntilTracker,
    stubs: StubBroker,
    engines: Map<WorkerDefinition, Map<string, D1Engine>>,
  ) {
    this.#engines = engines;
    this.#stubs = stubs;
    this.#workers = workers;
    this.#copier = copier;
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
    const steps = seams(realm, RUNTIME_SEAMS);
    for (const [name, value] of Object.entries(definition.vars)) {
      try {
        env[name] = steps.envVar(this.#copier, realm, value);
      } catch (error) {
        throw new ScenarioError(`worker "${worker.name}": var "${name}" is not a JSON value (${describe(error)})`);
      }
    }
    for (const service of steps.servicesOf(definition)) {
      const target = this.#workers.get(service.service)!;
      const fetcher = new Fetcher({
        name: service.binding,
        caller: worker,
        target: this.#dispatcher(target, steps.targetExport(worker, service, target)),
        props: service.props,
        copier: this.#copier,
        stubs: this.#stubs,
      });
      this.#fetchers.push(fetcher);
      env[service.binding] = steps.bindingFor(realm, fetcher, service);
    }
    addPlatformBindings(env, definition, realm, this.#engines.get(definition));
    worker.env = env;
    if (steps.ctxExportsOn(definition)) worker.ctxExports = this.#loopbackExports(worker);
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
        });
        this.#fetchers.push(fetcher);
        return fetcher;
      };
      exports[name] = seams(worker.realm, RUNTIME_SEAMS).loopbackBinding(worker.realm, loopback(undefined), (props) => createBindingObject(loopback(props), worker.realm));
    }
    return exports;
  }

  #dispatcher(worker: LoadedWorker, exportName: string): EntrypointDispatcher {
    let byExport = this.#dispatchers.get(worker);
    if (byExport === undefined) this.#dispatchers.set(worker, (byExport = new Map()));
    let dispatcher = byExport.get(exportName);
    if (dispatcher === undefined) {
      dispatcher = new EntrypointDispatcher(worker, exportName, this.#copier);
      byExport.set(exportName, dispatcher);
    }
    return dispatcher;
  }
}

/**
 * Which export a binding reaches, checked now so a wrong name fails at start, not at the
 * first call. BIND-DEFAULT-ENTRYPOINT: no `entrypoint` means the default export;
 * BIND-NAMED-ENTRYPOINT: `entrypoint = "X"` means the named export X, a WorkerEntrypoint class
 * or (BIND-NAMED-OBJECT) an object of handlers.
 */
function targetExport(caller: LoadedWorker, service: ServiceBinding, target: LoadedWorker): string {
  const where = `worker "${caller.name}": service binding "${service.binding}"`;
  // BIND-DEFAULT-NOT-NAMED: "default" is not a named entrypoint; workerd refuses the binding at start.
  if (service.entrypoint === "default") {
    throw new ScenarioError(`${where} names entrypoint "default", but the default export of worker "${target.name}" is not a named entrypoint: leave entrypoint out to reach it`);
  }
  const exportName = service.entrypoint ?? "default";
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
  }
  return exportName;
}

/** A default export that can receive requests: an entrypoint class or an object of handlers. */
function isHandler(worker: LoadedWorker, value: unknown): boolean {
  return isEntrypointClass(worker.workersModule, value) || (typeof value === "object" && value !== null);
}

/** What a binding may target: a handler, or (BIND-NOT-ENTRYPOINT) a function whose calls all fail. */
function isBindable(value: unknown): boolean {
  return typeof value === "function" || (typeof value === "object" && value !== null);
}

function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return "an exception";
  }
}
