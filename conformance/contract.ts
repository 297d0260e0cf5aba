/**
 * The adapter contract: the only surface through which the suite touches a runtime.
 *
 * This file is the TypeScript form of `conformance/ADAPTERS.md`; the two change together and
 * `ADAPTER_CONTRACT_VERSION` is bumped whenever a change could break an existing adapter.
 * Nothing in here mentions a particular runtime: the suite never branches on which adapter runs.
 */

export const ADAPTER_CONTRACT_VERSION = 2;

/** Contract versions this suite can drive. Version 2 only added `Scenario.probes`, so 1 still works. */
export const SUPPORTED_CONTRACT_VERSIONS: readonly number[] = [1, 2];

/** A `[[services]]` entry of a worker, in wrangler terms. */
export interface ServiceBindingConfig {
  /** Name of the binding on the caller's `env`. */
  binding: string;
  /** Name of the target worker in the same scenario. */
  service: string;
  /** Named export of the target to reach; absent means the default export. */
  entrypoint?: string;
  /** JSON object delivered to the callee as `ctx.props`. */
  props?: Record<string, unknown>;
}

/** One worker of a scenario: what a `wrangler.toml` plus its module files describe. */
export interface WorkerConfig {
  /** Unique within the scenario; other workers' `service` keys refer to it. */
  name: string;
  /** Path (a key of `modules`) of the main ES module. */
  main: string;
  /** ES module sources by relative path, e.g. `{ "index.js": "...", "harness.js": "..." }`. */
  modules: Record<string, string>;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** `[vars]`: strings or JSON values, exposed on `env` under their keys. */
  vars: Record<string, unknown>;
  services: ServiceBindingConfig[];
}

/** A set of workers booted together. Requests are delivered to a worker by name. */
export interface Scenario {
  workers: WorkerConfig[];
  /**
   * (Since version 2.) The workers the suite will send requests to: the probes, whose code makes
   * the RPC calls and reports what it saw. Every other worker is only ever reached through
   * service bindings. An adapter MAY run a probe's modules outside the runtime under test — in
   * Node, say, against bindings a proxy layer exposes — provided the probe's `env` holds the vars
   * and service bindings its config describes. Adapters that run everything in the runtime can
   * ignore this field.
   */
  probes?: string[];
}

/** What the report header says about the runtime under test. */
export interface RuntimeInfo {
  /** Human name of the runtime, e.g. "workerd" or "reference". */
  name: string;
  /** The runtime's own version string. */
  version: string;
  /** Free-form extra facts worth recording (binary path, bundled versions…). */
  details?: Record<string, string>;
}

/** A scenario that has been booted. */
export interface RunningScenario {
  /**
   * Deliver an HTTP request to the default export's `fetch` handler of the worker named `worker`
   * and return its response. Must reject (never hang forever) if the runtime cannot answer;
   * the suite applies its own deadline too.
   */
  fetch(worker: string, request: Request): Promise<Response>;
  /** Free everything the scenario holds. Safe to call more than once. */
  dispose(): Promise<void>;
}

export interface Adapter {
  /** Short name used in reports and expectations files, e.g. "reference". */
  readonly name: string;
  /** The contract version this adapter was written against. */
  readonly contractVersion: number;
  /** Name and version of the runtime behind this adapter. */
  runtime(): Promise<RuntimeInfo>;
  /** Boot a scenario. Rejects with a readable error if the scenario cannot be started. */
  start(scenario: Scenario): Promise<RunningScenario>;
  /**
   * Optional: how many scenarios the suite may have booted at once (default 1). The suite boots
   * the next tests' scenarios while it checks the current one; say more than 1 only if `start`
   * may be called again before earlier scenarios are disposed.
   */
  readonly concurrentScenarios?: number;
  /**
   * Optional (version 2 addition): requirements the adapter itself provides rather than the
   * runtime under test — requirement ID → how. Reports show them as "emulated": a pass there
   * says the adapter's emulation works, not that the runtime does it.
   */
  readonly emulates?: Readonly<Record<string, string>>;
  /** Optional: release anything shared across scenarios (called once at the end of a run). */
  close?(): Promise<void>;
}
