/**
 * What a worker is before it loads: the types a wrangler.toml (`config.ts`) or a caller of
 * `startScenario` produces and `runtime.ts` consumes. Types only, in a module of their own so that
 * the config readers and the binding builders (`platform-bindings.ts`) need not import the runtime.
 */
import type { D1DatabaseBinding } from "../d1/storage.ts";

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
  /** `[[d1_databases]]`: each a D1 binding on env. */
  d1Databases?: D1DatabaseBinding[];
  /** Bindings of kinds the reference does not provide: on env, they throw when touched. */
  unavailableBindings?: UnavailableBinding[];
}

/** A binding declared in the config whose kind the reference does not provide. */
export interface UnavailableBinding {
  binding: string;
  /** The wrangler.toml key that declares it, e.g. `kv_namespaces`. */
  kind: string;
}
