/**
 * A worker once loaded into a scenario: its realm, its exports, and the env it is constructed with.
 * Built by `runtime.ts`, read by the dispatcher (callee side) and the bindings (caller side).
 */
import type { ContextFactory } from "../rpc/context.ts";
import type { WorkerRealm } from "./realm.ts";
import type { WorkersModule } from "./workers-module.ts";

export interface LoadedWorker {
  readonly name: string;
  readonly realm: WorkerRealm;
  /** The main module's exports, by export name ("default" included). */
  readonly exports: Record<string, unknown>;
  /** This worker's own `cloudflare:workers` (its WorkerEntrypoint is the prototype-walk stop). */
  readonly workersModule: WorkersModule;
  /** STUB-PARAM-OWNERSHIP: stubs passed as arguments stay the caller's (`rpc_params_dup_stubs`). */
  readonly paramsDupStubs: boolean;
  /** BIND-FETCH-ARGUMENTS: `fetch_standard_url` (WHATWG URL parsing and wording in fetch). */
  readonly fetchStandardUrl: boolean;
  /** Builds a fresh `ctx` for one call. */
  readonly newContext: ContextFactory;
  /** The worker's env: vars, then one object per service binding. Filled in after all workers load. */
  env: object;
  /** CTX-EXPORTS: loopback bindings to the worker's own entrypoints, or undefined when the flag is off. */
  ctxExports: object | undefined;
}
