/**
 * Running a probe worker's code in Node, for adapters that measure a Node-side binding proxy
 * (Miniflare's `getBindings()`, wrangler's `getPlatformProxy()`): the probe makes its RPC calls
 * from Node through the proxy's `env`, and the callees run in workerd.
 *
 * The probe's in-memory modules are bundled and evaluated by ./bundle.ts (the same path an outside
 * adapter uses). `cloudflare:workers` is a small shim whose `WorkerEntrypoint`, `RpcTarget` and
 * `RpcStub` are plain classes: Node has no RPC system of its own, so what the proxy does with
 * such values is exactly what gets measured.
 */
import { bundleWorker, evaluateWorker } from "./bundle.ts";
import { respond } from "../harness/harness.js";
import type { WorkerConfig } from "../contract.ts";

/** `cloudflare:workers` as seen by a probe running in Node: plain classes, no RPC system. */
class WorkerEntrypoint {
  ctx: unknown;
  env: unknown;
  constructor(ctx: unknown, env: unknown) {
    this.ctx = ctx;
    this.env = env;
  }
}
class RpcTarget {}
class RpcStub {
  value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}
const CLOUDFLARE_WORKERS_SHIM = { WorkerEntrypoint, RpcTarget, RpcStub };

/** A probe's default export, as far as the suite uses it. */
interface ProbeModule {
  fetch(request: Request, env: unknown, ctx: ProbeContext): Promise<Response> | Response;
}

export interface ProbeContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: Record<string, unknown>;
}

/** Evaluate the bundle and return its default export. */
function evaluate(code: string, workerName: string): ProbeModule {
  const module = evaluateWorker(code, workerName, { "cloudflare:workers": CLOUDFLARE_WORKERS_SHIM });
  const main = module.default as ProbeModule | undefined;
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
  const main = evaluate(await bundleWorker(worker), worker.name);
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
