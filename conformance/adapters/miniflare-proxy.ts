/**
 * The `miniflare-proxy` adapter: Miniflare's Node-side binding proxy, `mf.getBindings(worker)`.
 *
 * Every worker of the scenario boots in workerd through Miniflare, exactly as the `workerd`
 * adapter boots them (same options, same workerd binary), so the probes' service bindings are
 * wired. The probes' own code then runs in Node (see node-probe.ts) with the `env` Miniflare's
 * proxy hands out: the caller is Node, the callee is workerd, and what the suite measures is the
 * proxy's serialization and stubs in between. Non-probe workers are only reached through bindings.
 */
import type { Miniflare } from "miniflare";
import { ADAPTER_CONTRACT_VERSION, type Adapter, type RunningScenario, type RuntimeInfo, type Scenario, type WorkerConfig } from "../contract.ts";
import { loadNodeProbe, type NodeProbe } from "./node-probe.ts";
import { bootMiniflare, miniflareVersion, miniflareWorkerOptions, shownPath, workerdBinary, workerdVersion } from "./workerd.ts";

/** The probes a scenario names; a version-1 caller names none, so every worker may be fetched. */
export function probeWorkers(scenario: Scenario): WorkerConfig[] {
  const names = new Set(scenario.probes ?? scenario.workers.map((w) => w.name));
  return scenario.workers.filter((w) => names.has(w.name));
}

/**
 * Probes loaded lazily, once per worker: `load` bundles the probe and builds its env.
 * A failure to build env or bundle rejects `fetch`, which the suite reports as an `error`.
 */
export function probeTable(load: (worker: WorkerConfig) => Promise<{ probe: NodeProbe; env: unknown }>, probes: WorkerConfig[]) {
  const byName = new Map(probes.map((w) => [w.name, w]));
  const loaded = new Map<string, Promise<{ probe: NodeProbe; env: unknown }>>();
  return async (workerName: string, request: Request): Promise<Response> => {
    const worker = byName.get(workerName);
    if (!worker) throw new Error(`worker "${workerName}" is not one of the scenario's probes; this adapter runs only probes in Node`);
    let entry = loaded.get(workerName);
    if (!entry) {
      entry = load(worker);
      loaded.set(workerName, entry);
    }
    const { probe, env } = await entry;
    return probe.fetch(request, env);
  };
}

export function createMiniflareProxyAdapter(): Adapter {
  return {
    name: "miniflare-proxy",
    contractVersion: ADAPTER_CONTRACT_VERSION,
    async runtime(): Promise<RuntimeInfo> {
      const binary = workerdBinary();
      return {
        name: "miniflare-proxy",
        version: miniflareVersion(),
        details: { proxy: "Miniflare#getBindings(worker), probes run in Node " + process.version, workerd: workerdVersion(binary), binary: shownPath(binary) },
      };
    },
    async start(scenario: Scenario): Promise<RunningScenario> {
      const mf = await bootMiniflare({ workers: scenario.workers.map(miniflareWorkerOptions) });
      let disposed = false;
      const fetch = probeTable(async (worker) => {
        const [probe, env] = await Promise.all([loadNodeProbe(worker), mf.getBindings(worker.name)]);
        return { probe, env };
      }, probeWorkers(scenario));
      return {
        fetch,
        async dispose() {
          if (disposed) return;
          disposed = true;
          await mf.dispose();
        },
      };
    },
  };
}
