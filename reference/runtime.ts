/**
 * Booting a scenario: a set of workers loaded together, wired by their service bindings.
 *
 * Each worker is loaded once, into its own realm, and lives as long as the scenario: module state
 * persists across calls as it does in one workerd isolate. Everything that can be decided once is
 * decided here (bundling, binding targets, env objects), so that a call does only the call.
 */
import { createBindingObject, Fetcher } from "./binding.ts";
import { installExecutionContext, WaitUntilTracker } from "./context.ts";
import { EntrypointDispatcher } from "./dispatcher.ts";
import { ScenarioError } from "./errors.ts";
import { resolveFaults } from "./faults.ts";
import type { Fault, FaultSwitches } from "./faults.ts";
import { loadWorker } from "./loader.ts";
import { WorkerRealm } from "./realm.ts";
import { Serializer } from "./serialize.ts";
import type { LoadedWorker } from "./worker.ts";
import { createWorkersModule, isEntrypointClass } from "./workers-module.ts";

/** A `[[services]]` entry, in wrangler terms. */
export interface ServiceBinding {
  /** Name of the binding on the caller's `env`. */
  binding: string;
  /** Name of the target worker in the same scenario. */
  service: string;
  /** Named export of the target to reach; absent means the default export. */
  entrypoint?: string;
  /** Delivered to the callee, copied, as `ctx.props`. */
  props?: Record<string, unknown>;
}

/** One worker: what a wrangler.toml plus its module sources describe. */
export interface WorkerDefinition {
  /** Unique within a scenario; other workers' `service` keys refer to it. */
  name: string;
  /** Key of `modules` holding the main ES module. */
  main: string;
  /** ES module sources by path relative to the worker's root. */
  modules: Record<string, string>;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** `[vars]`: strings, or JSON values delivered parsed. */
  vars: Record<string, unknown>;
  services: ServiceBinding[];
}

export interface ReferenceOptions {
  /** Deliberately broken variants to switch on (see `FAULTS`); for proving tests can fail. */
  faults?: Iterable<Fault>;
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
  const serializer = new Serializer({ lossyStrings: faults["lossy-strings"] });
  const tracker = new WaitUntilTracker();
  const realms: WorkerRealm[] = [];
  try {
    const booted = await Promise.all(workers.map((definition) => bootWorker(definition, faults, tracker, realms)));
    return new Scenario(workers, new Map(booted.map((worker) => [worker.name, worker])), serializer, faults, tracker);
  } catch (error) {
    for (const realm of realms) realm.clearAllTimers(); // a worker may have started timers before another failed
    throw error;
  }
}

async function bootWorker(
  definition: WorkerDefinition,
  faults: FaultSwitches,
  tracker: WaitUntilTracker,
  realms: WorkerRealm[],
): Promise<LoadedWorker> {
  const realm = new WorkerRealm(definition.name);
  realms.push(realm);
  // CTX-WAITUNTIL: waitUntil work is tracked and outlives the call that started it.
  const waitUntil = faults["drop-waituntil"] ? () => {} : (promise: unknown) => tracker.track(definition.name, promise); // fault drop-waituntil (CTX-WAITUNTIL)
  const workersModule = createWorkersModule(realm, waitUntil);
  // CTX-PRESENT: every call gets a ctx with waitUntil and passThroughOnException.
  const newContext = installExecutionContext(realm, waitUntil, { withWaitUntil: !faults["ctx-without-waituntil"] }); // fault ctx-without-waituntil (CTX-PRESENT)
  const exports = await loadWorker(definition, realm, { "cloudflare:workers": workersModule }, { exposePrivate: faults["expose-private"] });
  for (const [name, value] of Object.entries(exports)) {
    // As workerd: every export must be a function (class) or an object of handlers.
    if (typeof value !== "function" && (typeof value !== "object" || value === null)) {
      throw new ScenarioError(`worker "${definition.name}": export "${name}" is neither a class nor an object of handlers (got ${typeof value})`);
    }
  }
  // env is filled in once every worker is loaded: bindings need their targets' exports.
  return { name: definition.name, realm, exports, workersModule, newContext, env: {}, varsOnlyEnv: {} };
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
  readonly #serializer: Serializer;
  readonly #faults: FaultSwitches;
  readonly #tracker: WaitUntilTracker;
  readonly #dispatchers = new Map<LoadedWorker, Map<string, EntrypointDispatcher>>();
  readonly #fetchers: Fetcher[] = [];
  #disposed = false;

  constructor(
    definitions: WorkerDefinition[],
    workers: Map<string, LoadedWorker>,
    serializer: Serializer,
    faults: FaultSwitches,
    tracker: WaitUntilTracker,
  ) {
    this.#workers = workers;
    this.#serializer = serializer;
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
          env[name] = this.#serializer.copy(value, realm);
        } catch (error) {
          throw new ScenarioError(`worker "${worker.name}": var "${name}" is not a JSON value (${describe(error)})`);
        }
      }
    }
    worker.varsOnlyEnv = this.#faults["callee-env-without-services"] ? Object.assign(new realm.intrinsics.Object(), env) : env;
    for (const service of definition.services) {
      const target = this.#workers.get(service.service)!;
      const fetcher = new Fetcher({
        name: service.binding,
        caller: worker,
        target: this.#dispatcher(target, this.#targetExport(worker, service, target)),
        props: service.props,
        serializer: this.#serializer,
        faults: this.#faults,
      });
      this.#fetchers.push(fetcher);
      env[service.binding] = createBindingObject(fetcher, realm);
    }
    worker.env = env;
  }

  /**
   * Which export a binding reaches, checked now so a wrong name fails at start, not at the
   * first call. BIND-DEFAULT-ENTRYPOINT: no `entrypoint` means the default export;
   * BIND-NAMED-ENTRYPOINT: `entrypoint = "X"` means the named export X, a WorkerEntrypoint class.
   */
  #targetExport(caller: LoadedWorker, service: ServiceBinding, target: LoadedWorker): string {
    const where = `worker "${caller.name}": service binding "${service.binding}"`;
    let exportName = service.entrypoint ?? "default";
    if (this.#faults["ignore-entrypoint"]) exportName = "default"; // fault ignore-entrypoint (BIND-NAMED-ENTRYPOINT)
    else if (service.entrypoint === undefined && this.#faults["default-is-first-named"]) {
      exportName = namedEntrypoints(target)[0] ?? "default"; // fault default-is-first-named (BIND-DEFAULT-ENTRYPOINT)
    }
    const exported = target.exports[exportName];
    if (exportName === "default") {
      if (!isHandler(target, exported)) {
        throw new ScenarioError(
          `${where} reaches the default export of worker "${target.name}", which ${exported === undefined ? "has none" : "is neither a class extending WorkerEntrypoint nor an object of handlers"}`,
        );
      }
    } else if (!Object.hasOwn(target.exports, exportName)) {
      throw new ScenarioError(`${where} names entrypoint "${exportName}", but worker "${target.name}" has no export of that name`);
    } else if (!isEntrypointClass(target.workersModule, exported)) {
      throw new ScenarioError(
        `${where} names entrypoint "${exportName}", but that export of worker "${target.name}" is not a class extending WorkerEntrypoint`,
      );
    }
    return exportName;
  }

  #dispatcher(worker: LoadedWorker, exportName: string): EntrypointDispatcher {
    let byExport = this.#dispatchers.get(worker);
    if (byExport === undefined) this.#dispatchers.set(worker, (byExport = new Map()));
    let dispatcher = byExport.get(exportName);
    if (dispatcher === undefined) {
      const siblings = () => entrypointExports(worker).map((name) => this.#dispatcher(worker, name));
      dispatcher = new EntrypointDispatcher(worker, exportName, this.#serializer, this.#faults, siblings);
      byExport.set(exportName, dispatcher);
    }
    return dispatcher;
  }
}

/** A default export that can receive requests: an entrypoint class or an object of handlers. */
function isHandler(worker: LoadedWorker, value: unknown): boolean {
  return isEntrypointClass(worker.workersModule, value) || (typeof value === "object" && value !== null);
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
