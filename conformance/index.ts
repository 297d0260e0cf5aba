/**
 * The package's public surface for adapter authors: the contract types and version. Import as
 * `import type { Adapter } from "workers-rpc-conformance"`.
 */
export { ADAPTER_CONTRACT_VERSION } from "./contract.ts";
export type { Adapter, RunningScenario, RuntimeInfo, Scenario, ServiceBindingConfig, WorkerConfig } from "./contract.ts";
export type { ResultsFile, RequirementResult } from "./report/files.ts";
export type { Outcome } from "./engine/outcomes.ts";

/**
 * For adapters that run worker code in Node (ADAPTERS.md, "Running worker code in Node"): the
 * bundler with pluggable host modules (`cloudflare:workers`), and the harness's `respond`, which
 * turns what the probe threw into the observation `{ probeThrew: error }` the suite expects.
 */
export { bundleWorker, evaluateWorker, type BundleOptions } from "./adapters/bundle.ts";
export { respond } from "./harness/harness.js";
