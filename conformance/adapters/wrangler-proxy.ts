/**
 * The `wrangler-proxy` adapter: wrangler's `getPlatformProxy()`, the Node-side `env` thousands
 * of projects (Next.js, Astro, Remix dev servers…) use to reach Workers bindings.
 *
 * getPlatformProxy reads one worker's wrangler config and starts a Miniflare of its own that
 * holds no user code: service bindings to workers it does not run are resolved through wrangler's
 * dev registry (a directory, `WRANGLER_REGISTRY_PATH`, where every local Miniflare lists its
 * workers and their debug port). So this adapter does what a developer does with `wrangler dev`
 * in one terminal and `getPlatformProxy()` in another:
 *
 * 1. the scenario's non-probe workers boot in one Miniflare (same options and workerd binary as
 *    the `workerd` adapter) that registers them in a registry directory of the scenario's own;
 * 2. one generated `wrangler.json` holds every probe's `vars` and `services` (with `entrypoint` and
 *    `props`), each binding name prefixed with its probe's index, and goes to getPlatformProxy
 *    with that registry; each probe's code runs in Node (node-probe.ts) with an `env` holding,
 *    under its own names, the values of the platform proxy's `env`.
 *
 * One getPlatformProxy per probe would be closer still, but each is a workerd process of its own:
 * a run at `--runs=20` took over 40 minutes on two cores. getPlatformProxy's `env` is a plain
 * object of binding values, so a plain object of the same values is what a probe would have seen.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADAPTER_CONTRACT_VERSION, type Adapter, type RunningScenario, type RuntimeInfo, type Scenario, type WorkerConfig } from "../contract.ts";
import { probeTable, probeWorkers } from "./miniflare-proxy.ts";
import { bootMiniflare, miniflareVersion, miniflareWorkerOptions, shownPath, workerdBinary, workerdVersion } from "./workerd.ts";
import { loadNodeProbe } from "./node-probe.ts";
import { requireOptional, requirePackages } from "./optional.ts";


type Wrangler = typeof import("wrangler");

let wranglerModule: Promise<Wrangler> | undefined;
/** wrangler is large: load it only when this adapter runs. */
function loadWrangler(): Promise<Wrangler> {
  requirePackages("wrangler-proxy", ["wrangler"]);
  wranglerModule ??= import("wrangler");
  return wranglerModule;
}

const prefix = (probeIndex: number) => `P${probeIndex}_`;

/**
 * The wrangler config getPlatformProxy reads: what a developer writes for the worker it stands
 * in for, here with every probe's bindings under prefixed names. All probes of a scenario share
 * the run's profile, so the first one's compatibility settings are everyone's.
 */
function wranglerConfig(name: string, probes: WorkerConfig[]): Record<string, unknown> {
  return {
    name,
    compatibility_date: probes[0]!.compatibilityDate,
    compatibility_flags: probes[0]!.compatibilityFlags,
    vars: Object.fromEntries(probes.flatMap((w, i) => Object.entries(w.vars).map(([key, value]) => [prefix(i) + key, value]))),
    services: probes.flatMap((w, i) =>
      w.services.map((s) => ({
        binding: prefix(i) + s.binding,
        service: s.service,
        ...(s.entrypoint !== undefined && { entrypoint: s.entrypoint }),
        ...(s.props !== undefined && { props: s.props }),
      })),
    ),
  };
}

/** Probe `i`'s env: its own binding names, holding the platform proxy's values. */
function probeEnv(platformEnv: Record<string, unknown>, worker: WorkerConfig, i: number): Record<string, unknown> {
  const names = [...Object.keys(worker.vars), ...worker.services.map((s) => s.binding)];
  return Object.fromEntries(names.map((name) => [name, platformEnv[prefix(i) + name]]));
}

export function createWranglerProxyAdapter(): Adapter {
  return {
    name: "wrangler-proxy",
    contractVersion: ADAPTER_CONTRACT_VERSION,
    async runtime(): Promise<RuntimeInfo> {
      const binary = workerdBinary();
      return {
        name: "wrangler-proxy",
        version: requireOptional<{ version: string }>("wrangler-proxy", "wrangler", "wrangler/package.json").version,
        details: {
          proxy: "wrangler getPlatformProxy() + dev registry, probes run in Node " + process.version,
          miniflare: miniflareVersion(),
          workerd: workerdVersion(binary),
          binary: shownPath(binary),
        },
      };
    },
    async start(scenario: Scenario): Promise<RunningScenario> {
      const { getPlatformProxy } = await loadWrangler();
      const root = mkdtempSync(join(tmpdir(), "wrangler-proxy-"));
      const registry = join(root, "registry");
      const probes = probeWorkers(scenario);
      const probeNames = new Set(probes.map((w) => w.name));
      const callees = scenario.workers.filter((w) => !probeNames.has(w.name));
      let mf: Awaited<ReturnType<typeof bootMiniflare>> | undefined;
      let proxy: Awaited<ReturnType<Wrangler["getPlatformProxy"]>> | undefined;
      try {
        if (callees.length) mf = await bootMiniflare({ workers: callees.map(miniflareWorkerOptions), unsafeDevRegistryPath: registry });
        if (probes.length) {
          const configPath = join(root, "wrangler.json");
          // a name no worker of the scenario has: getPlatformProxy registers it in the registry too
          writeFileSync(configPath, JSON.stringify(wranglerConfig("wrangler-proxy-probes", probes), null, 2));
          // getPlatformProxy reads the registry location from the environment, synchronously.
          process.env.WRANGLER_REGISTRY_PATH = registry;
          proxy = await getPlatformProxy({ configPath, persist: false, remoteBindings: false, envFiles: [] });
        }
      } catch (error) {
        await mf?.dispose().catch(() => {});
        rmSync(root, { recursive: true, force: true });
        throw error;
      }
      const platformEnv = (proxy?.env ?? {}) as Record<string, unknown>;
      const index = new Map(probes.map((w, i) => [w, i]));
      const fetch = probeTable(async (worker) => ({ probe: await loadNodeProbe(worker), env: probeEnv(platformEnv, worker, index.get(worker)!) }), probes);
      let disposed = false;
      return {
        fetch,
        async dispose() {
          if (disposed) return;
          disposed = true;
          await proxy?.dispose().catch(() => {});
          await mf?.dispose().catch(() => {});
          rmSync(root, { recursive: true, force: true });
        },
      };
    },
  };
}
