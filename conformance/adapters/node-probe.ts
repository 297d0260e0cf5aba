/**
 * Running a probe worker's code in Node, for adapters that measure a Node-side binding proxy
 * (Miniflare's `getBindings()`, wrangler's `getPlatformProxy()`): the probe makes its RPC calls
 * from Node through the proxy's `env`, and the callees run in workerd.
 *
 * The probe's in-memory modules are bundled with esbuild. `cloudflare:workers` resolves to a
 * small shim whose `WorkerEntrypoint`, `RpcTarget` and `RpcStub` are plain classes: Node has no
 * RPC system of its own, so what the proxy does with such values is exactly what gets measured.
 * The bundle is evaluated as a strict-mode function in this realm (not imported: a module graph
 * is never collected, and a run evaluates thousands of probes).
 */
import { runInThisContext } from "node:vm";
import * as esbuild from "esbuild";
import { respond } from "../harness/harness.js";
import type { WorkerConfig } from "../contract.ts";

/** `cloudflare:workers` as seen by a probe running in Node. */
const CLOUDFLARE_WORKERS_SHIM = `
export class WorkerEntrypoint {
  constructor(ctx, env) { this.ctx = ctx; this.env = env; }
}
export class RpcTarget {}
export class RpcStub {
  constructor(value) { this.value = value; }
}
`;

const SHIM_PATH = "cloudflare:workers";
const NAMESPACE = "probe-modules";

/** A probe's default export, as far as the suite uses it. */
interface ProbeModule {
  fetch(request: Request, env: unknown, ctx: ProbeContext): Promise<Response> | Response;
}

export interface ProbeContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: Record<string, unknown>;
}

/** Bundle a worker's modules into one CommonJS script, resolving only among its own modules. */
async function bundle(worker: WorkerConfig): Promise<string> {
  const modules = worker.modules;
  const result = await esbuild.build({
    entryPoints: [worker.main],
    bundle: true,
    write: false,
    format: "cjs",
    platform: "neutral",
    target: "esnext",
    // class and function names are observable (the harness records constructor names)
    keepNames: true,
    logLevel: "silent",
    plugins: [
      {
        name: "in-memory-modules",
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) => {
            if (args.path === SHIM_PATH) return { path: SHIM_PATH, namespace: NAMESPACE };
            const base = args.importer && args.importer !== SHIM_PATH ? args.importer.split("/").slice(0, -1) : [];
            const resolved = normalize([...base, ...args.path.split("/")]);
            if (!(resolved in modules)) return { errors: [{ text: `worker "${worker.name}" has no module "${resolved}" (imported as "${args.path}")` }] };
            return { path: resolved, namespace: NAMESPACE };
          });
          build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
            contents: args.path === SHIM_PATH ? CLOUDFLARE_WORKERS_SHIM : modules[args.path],
            loader: "js",
          }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

function normalize(segments: string[]): string {
  const out: string[] = [];
  for (const s of segments) {
    if (s === "" || s === ".") continue;
    if (s === "..") out.pop();
    else out.push(s);
  }
  return out.join("/");
}

/** Evaluate the bundle and return its default export. */
function evaluate(code: string, workerName: string): ProbeModule {
  const wrapper = runInThisContext(`(function (module, exports) {"use strict";\n${code}\n})`, {
    filename: `node-probe:${workerName}/bundle.js`,
  }) as (module: { exports: any }, exports: any) => void;
  const module = { exports: {} as any };
  wrapper(module, module.exports);
  const main = module.exports.default as ProbeModule | undefined;
  if (!main || typeof main.fetch !== "function") throw new Error(`worker "${workerName}": the default export has no fetch handler`);
  return main;
}

/** A probe worker's code, loaded in Node and ready to receive requests. */
export interface NodeProbe {
  fetch(request: Request, env: unknown): Promise<Response>;
}

export interface NodeProbeOptions {
  /** How long the probe may take before it answers with a timeout observation (ms). */
  timeoutMs?: number;
}

/**
 * Load `worker` (a probe) into Node. Its `fetch` never rejects for what the probe's own code or
 * the proxy does: an exception escaping the probe is answered as the observation
 * `{ probeThrew: error }`, in the harness encoding, so the suite sees a wrong answer (a test
 * failure) rather than a broken runtime. A probe that does not answer in time rejects with a
 * `TimeoutError`, which the suite reports as a timeout with that case. Bundling errors do reject.
 */
export async function loadNodeProbe(worker: WorkerConfig, options: NodeProbeOptions = {}): Promise<NodeProbe> {
  const main = evaluate(await bundle(worker), worker.name);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async fetch(request, env) {
      const ctx: ProbeContext = {
        waitUntil(promise) {
          // Nothing waits for these in Node; a rejection must not become an unhandled one.
          Promise.resolve(promise).catch(() => {});
        },
        passThroughOnException() {},
        props: {},
      };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DOMException(`the probe did not answer within ${timeoutMs} ms when run in Node`, "TimeoutError")), timeoutMs);
      });
      try {
        return await Promise.race([Promise.resolve().then(() => main.fetch(request, env, ctx)), timeout]);
      } catch (error) {
        // A probe that never answers is a timeout for the suite (reported with its case), not a wrong answer.
        if (error instanceof DOMException && error.name === "TimeoutError") throw error;
        return respond({ probeThrew: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
