/**
 * The reference runtime for Workers RPC: a small, readable implementation of the semantics the
 * conformance suite checks, running workers in Node `vm` realms.
 *
 * This file is the only public surface; everything else in `reference/` is internal.
 */
export { startScenario } from "./runtime.ts";
export type { ReferenceOptions, ReferenceScenario } from "./runtime.ts";
export type { ServiceBinding, UnavailableBinding, WorkerDefinition } from "./loading/definition.ts";
export { ConfigError, loadWranglerConfigs, loadWranglerToml } from "./loading/config.ts";
export type { ConfigWarning, LoadConfigOptions } from "./loading/config.ts";
export type { D1DatabaseBinding, D1Storage } from "./d1/storage.ts";
export { ScenarioError } from "./rpc/errors.ts";

/** The reference runtime's own version, reported in conformance report headers. */
export const REFERENCE_VERSION = "0.1.0";
