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
import { isAbsolute, relative } from "node:path";
import type { Miniflare, MiniflareOptions, WorkerOptions } from "miniflare";
import { ADAPTER_CONTRACT_VERSION, type Adapter, type RunningScenario, type Scenario, type WorkerConfig } from "../contract.ts";
import { requireOptional, requirePackages } from "./optional.ts";

const require = createRequire(import.meta.url);

/** The optional packages (peer dependencies) the `workerd` adapter and the two proxies drive. */
export const WORKERD_PACKAGES = ["miniflare", "workerd"] as const;

/** The native binary bootMiniflare put in MINIFLARE_WORKERD_PATH itself (not the caller's choice). */
let nativeBinary: string | undefined;

/** The caller's own MINIFLARE_WORKERD_PATH, if any. */
const chosenBinary = (): string | undefined => {
  const path = process.env.MINIFLARE_WORKERD_PATH;
  return path && path !== nativeBinary ? path : undefined;
};

/**
 * The workerd binary the `workerd` adapter uses, as reports name it: MINIFLARE_WORKERD_PATH, else
 * the `workerd` package's `bin/workerd` (the same path on every platform).
 */
export function workerdBinary(): string {
  const chosen = chosenBinary();
  if (chosen) return chosen;
  requirePackages("workerd", ["workerd"]);
  return require.resolve("workerd/bin/workerd");
}

/**
 * The executable Miniflare spawns. Without its install script (allowScripts denies it), the
 * package's `bin/workerd` stays a Node shim that passes on stdin, stdout and stderr only, not the
 * extra descriptor Miniflare talks to workerd over, so workerd exits and Miniflare fails with
 * EPIPE. The package's main export names the native binary of this platform.
 */
function workerdExecutable(): string {
  const chosen = chosenBinary();
  if (chosen) return chosen;
  requirePackages("workerd", ["workerd"]);
  nativeBinary = requireOptional<{ default: string }>("workerd", "workerd").default;
  return nativeBinary;
}

/** A binary's path as results.json records it: relative to the working directory when inside it, so reports do not name the machine. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export function workerdVersion(binary = workerdBinary()): string {
  try {
    return execFileSync(binary, ["--version"], { encoding: "utf8" }).trim().replace(/^workerd /, "");
  } catch {
    return requireOptional<{ version: string }>("workerd", "workerd").version;
  }
}

export const miniflareVersion = (): string => requireOptional<{ version: string }>("workerd", "miniflare", "miniflare/package.json").version;

let miniflareModule: Promise<typeof import("miniflare")> | undefined;
/** miniflare is an optional peer: loaded on first use, with a clear error when it is missing. */
function loadMiniflare(): Promise<typeof import("miniflare")> {
  requirePackages("workerd", ["miniflare"]);
  miniflareModule ??= import("miniflare");
  return miniflareModule;
}

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
  process.env.MINIFLARE_WORKERD_PATH = workerdExecutable();
  const { Miniflare } = await loadMiniflare();
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

const routeHost = (name: string) => `${name}.worker.invalid`;

export function createWorkerdAdapter(): Adapter {
  return {
    name: "workerd",
    contractVersion: ADAPTER_CONTRACT_VERSION,
    // Each scenario is its own Miniflare instance (own workerd process and port); booting one is
    // mostly waiting for the process, so several at once overlap that wait.
    concurrentScenarios: 3,
    async runtime() {
      const binary = workerdBinary();
      return {
        name: "workerd",
        version: workerdVersion(binary),
        details: { binary: shownPath(binary), miniflare: miniflareVersion(), newestCompatibilityDate: requireOptional<{ compatibilityDate: string }>("workerd", "workerd").compatibilityDate },
      };
    },
    async start(scenario: Scenario): Promise<RunningScenario> {
      const mf = await bootMiniflare({
        workers: scenario.workers.map((worker) => ({ ...miniflareWorkerOptions(worker), routes: [`${routeHost(worker.name)}/*`] })),
      });
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
