/**
 * The `workerd` adapter: Cloudflare's own runtime, driven through the `miniflare` package.
 *
 * Miniflare bundles a workerd of its own; the separately installed `workerd` package is usually
 * newer, so this adapter points Miniflare at that binary (`MINIFLARE_WORKERD_PATH`) unless the
 * caller already chose one. Every worker gets a route `<name>.worker.invalid/*`, which is how a
 * request reaches a named worker through Miniflare's single entry socket.
 */
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { Miniflare, type WorkerOptions } from "miniflare";
import { ADAPTER_CONTRACT_VERSION, type Adapter, type RunningScenario, type Scenario, type WorkerConfig } from "../contract.ts";

const require = createRequire(import.meta.url);
const workerd = require("workerd") as { version: string; compatibilityDate: string };

function workerdBinary(): string {
  if (process.env.MINIFLARE_WORKERD_PATH) return process.env.MINIFLARE_WORKERD_PATH;
  return require.resolve("workerd/bin/workerd");
}

const routeHost = (name: string) => `${name}.worker.invalid`;

function workerOptions(worker: WorkerConfig): WorkerOptions {
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
    routes: [`${routeHost(worker.name)}/*`],
  };
}

export function createWorkerdAdapter(): Adapter {
  return {
    name: "workerd",
    contractVersion: ADAPTER_CONTRACT_VERSION,
    async runtime() {
      const binary = workerdBinary();
      let version = workerd.version;
      try {
        version = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim().replace(/^workerd /, "");
      } catch {
        // keep the package version
      }
      const miniflareVersion = require("miniflare/package.json").version as string;
      return {
        name: "workerd",
        version,
        details: { binary, miniflare: miniflareVersion, newestCompatibilityDate: workerd.compatibilityDate },
      };
    },
    async start(scenario: Scenario): Promise<RunningScenario> {
      process.env.MINIFLARE_WORKERD_PATH = workerdBinary();
      const mf = new Miniflare({
        workers: scenario.workers.map(workerOptions),
        log: undefined,
        handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
          // Keep the runtime's own output out of the suite's console; drain it so workerd never blocks.
          stdout.resume();
          stderr.resume();
        },
      });
      try {
        await mf.ready;
      } catch (error) {
        await mf.dispose().catch(() => {});
        throw error;
      }
      let disposed = false;
      return {
        async fetch(worker, request) {
          const url = new URL(request.url);
          url.host = routeHost(worker);
          const response = await mf.dispatchFetch(url.href, {
            method: request.method,
            headers: request.headers as any,
            body: request.body as any,
            duplex: "half",
          } as any);
          // Miniflare's Response is undici's; rebuild a Node global Response for the suite.
          const body = await response.arrayBuffer();
          return new Response(body, { status: response.status, headers: response.headers as any });
        },
        async dispose() {
          if (disposed) return;
          disposed = true;
          await mf.dispose();
        },
      };
    },
  };
}
