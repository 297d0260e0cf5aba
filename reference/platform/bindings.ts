/**
 * Bindings beyond service bindings: D1 databases, and placeholders for the binding kinds the
 * reference does not provide. Both are added to a worker's env after its vars and services.
 */
import { createD1Binding } from "../d1/binding.ts";
import type { D1Engine } from "../d1/engine.ts";
import { D1Databases, type D1Storage } from "../d1/storage.ts";
import { ScenarioError } from "../rpc/errors.ts";
import type { WorkerRealm } from "../loading/realm.ts";
import type { WorkerDefinition } from "../loading/definition.ts";

/** The engines of every D1 binding of the scenario, opened before the workers' envs are built. */
export async function openDatabases(workers: WorkerDefinition[], storage: D1Storage): Promise<{ databases: D1Databases; engines: Map<WorkerDefinition, Map<string, D1Engine>> }> {
  const databases = new D1Databases(storage);
  const engines = new Map<WorkerDefinition, Map<string, D1Engine>>();
  for (const worker of workers) {
    const byBinding = new Map<string, D1Engine>();
    for (const database of worker.d1Databases ?? []) byBinding.set(database.binding, await databases.open(database));
    engines.set(worker, byBinding);
  }
  return { databases, engines };
}

const UNAVAILABLE_SOURCE = `((message) => new Proxy(Object.create(null), {
  get(target, key) { if (key === Symbol.toPrimitive || key === "then" || key === Symbol.toStringTag) return undefined; throw new Error(message); },
  has() { throw new Error(message); },
  set() { throw new Error(message); },
  apply() { throw new Error(message); },
}))`;

/** Adds `env.<binding>` for each D1 database, and a binding that throws on use for each unavailable one. */
export function addPlatformBindings(env: Record<string, unknown>, definition: WorkerDefinition, realm: WorkerRealm, engines: Map<string, D1Engine> | undefined): void {
  for (const database of definition.d1Databases ?? []) {
    if (Object.hasOwn(env, database.binding)) throw new ScenarioError(`worker "${definition.name}": binding name "${database.binding}" is used twice`);
    env[database.binding] = createD1Binding(realm, engines!.get(database.binding)!, database.binding);
  }
  for (const { binding, kind } of definition.unavailableBindings ?? []) {
    if (Object.hasOwn(env, binding)) continue;
    const message = `worker "${definition.name}": env.${binding} is a ${kind} binding, which the reference runtime does not provide (it provides vars, services and d1_databases)`;
    env[binding] = (realm.evaluate(UNAVAILABLE_SOURCE, "reference:unavailable-binding") as (message: string) => object)(message);
  }
}
