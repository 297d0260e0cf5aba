/**
 * The `miniflare-proxy` adapter: Miniflare's Node-side binding proxy, `mf.getBindings(worker)`.
 *
 * Every worker of the scenario boots in workerd through Miniflare, exactly as the `workerd`
 * adapter boots them (same options, same workerd binary), so the probes' service bindings are
 * wired. The probes' own code then runs in Node (see node-probe.ts) with the `env` Miniflare's
 * proxy hands out: the caller is Node, the callee is workerd, and what the suite measures is the
 * proxy's serialization and stubs in between. Non-probe workers are only reached through bindings.
 */
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { Miniflare, type MiniflareOptions, type WorkerOptions } from "miniflare";
import { ADAPTER_CONTRACT_VERSION, type Adapter, type RunningScenario, type RuntimeInfo, type Scenario, type WorkerConfig } from "../contract.ts";
import { loadNodeProbe, type NodeProbe } from "./node-probe.ts";

const require = createRequire(import.meta.url);

/** The workerd binary the `workerd` adapter uses: MINIFLARE_WORKERD_PATH, else the `workerd` package's. */
export function workerdBinary(): string {
  return process.env.MINIFLARE_WORKERD_PATH || require.resolve("workerd/bin/workerd");
}

export function workerdVersion(binary = workerdBinary()): string {
  try {
    return execFileSync(binary, ["--version"], { encoding: "utf8" }).trim().replace(/^workerd /, "");
  } catch {
    return (require("workerd") as { version: string }).version;
  }
}

export const miniflareVersion = (): string => require("miniflare/package.json").version as string;

/** A WorkerConfig in Miniflare's terms: the same translation the `workerd` adapter makes. */
export function miniflareWorkerOptions(worker: WorkerConfig): WorkerOptions {
  return {
    name: worker.name,
    modules: Object.entries(worker.modules)
      // the main module must come first: Miniflare treats the first module as the entry point
      .sort(([a], [b]) => Number(b === worker.main) - Number(a === worker.main))
      .map(([path, contents]) => ({ type: "ESModule" as const, path, contents })),
    compatibilityDate: worker.compatibilityDate,
    compatibilityFlags: worker.compatibilityFlags,
    bindings: worker.vars as Record<string, any>,
    serviceBindings: Object.fromEntries(
      worker.services.map((s) => [
        s.binding,
        { name: s.service, ...(s.entrypoint !== undefined && { entrypoint: s.entrypoint }), ...(s.props !== undefined && { props: s.props }) },
      ]),
    ),
  };
}

/** Boot a Miniflare with the runtime's output drained and kept off the suite's console. */
export async function bootMiniflare(options: MiniflareOptions): Promise<Miniflare> {
  process.env.MINIFLARE_WORKERD_PATH = workerdBinary();
  const mf = new Miniflare({
    ...options,
    log: undefined,
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      stdout.resume();
      stderr.resume();
    },
  } as MiniflareOptions);
  try {
    await mf.ready;
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  }
  return mf;
}

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
        details: { proxy: "Miniflare#getBindings(worker), probes run in Node " + process.version, workerd: workerdVersion(binary), binary },
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
