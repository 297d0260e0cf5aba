/**
 * The package's public surface for adapter authors: the contract types and version. Import as
 * `import type { Adapter } from "workers-rpc-conformance"`.
 */
export { ADAPTER_CONTRACT_VERSION } from "./contract.ts";
export type { Adapter, RunningScenario, RuntimeInfo, Scenario, ServiceBindingConfig, WorkerConfig } from "./contract.ts";
export type { ResultsFile, RequirementResult } from "./report.ts";
export type { Outcome } from "./outcomes.ts";
