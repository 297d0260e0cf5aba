/**
 * Loading a worker's in-memory modules into Node, for adapters that run worker code in Node
 * (`capnweb`, or an adapter written outside this project). Public: exported by the package's
 * entry point and documented in ADAPTERS.md ("Running worker code in Node").
 *
 * `bundleWorker` bundles a worker's modules with esbuild into one CommonJS script, resolving
 * relative imports among the worker's own modules only. The *host modules* (by default just
 * `cloudflare:workers`) are left as `require(name)` calls, so the adapter decides what they are:
 * `evaluateWorker` runs the script in this realm and hands each `require(name)` the object the
 * adapter supplies. Named imports read that object's properties at each use, so a getter (a
 * live `env`, say) works.
 */
import { runInThisContext } from "node:vm";
import * as esbuild from "esbuild";
import type { WorkerConfig } from "../contract.ts";

export interface BundleOptions {
  /** Module names left to the adapter (resolved by `evaluateWorker`). Default: `["cloudflare:workers"]`. */
  hostModules?: readonly string[];
}

const NAMESPACE = "worker-modules";

/**
 * Bundle `worker`'s modules (entry: `worker.main`) into one CommonJS script. Rejects with an
 * Error naming the worker and the module on a syntax error or an import of a missing module.
 * Class and function names are kept (the harness records constructor names).
 */
export async function bundleWorker(worker: WorkerConfig, options: BundleOptions = {}): Promise<string> {
  const hostModules = new Set(options.hostModules ?? ["cloudflare:workers"]);
  const modules = worker.modules;
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [worker.main],
      bundle: true,
      write: false,
      format: "cjs",
      platform: "neutral",
      target: "esnext",
      keepNames: true,
      logLevel: "silent",
      plugins: [
        {
          name: "in-memory-modules",
          setup(build) {
            build.onResolve({ filter: /.*/ }, (args) => {
              if (hostModules.has(args.path)) return { path: args.path, external: true };
              const base = args.importer ? args.importer.split("/").slice(0, -1) : [];
              const resolved = normalize([...base, ...args.path.split("/")]);
              if (!(resolved in modules)) return { errors: [{ text: `worker "${worker.name}" has no module "${resolved}" (imported as "${args.path}")` }] };
              return { path: resolved, namespace: NAMESPACE };
            });
            build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: modules[args.path], loader: "js" }));
          },
        },
      ],
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const first = failure.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : "";
    throw new Error(`worker "${worker.name}": ${where}${first?.text ?? (error as Error).message}`);
  }
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

/**
 * Evaluate a script from `bundleWorker` as strict-mode code in this realm and return its module
 * namespace (`default` and the named exports). `hostModules[name]` is what `import … from name`
 * sees. A throw at module top level propagates, prefixed with the worker's name.
 */
export function evaluateWorker(code: string, workerName: string, hostModules: Record<string, unknown>): Record<string, unknown> {
  const wrapper = runInThisContext(`(function (module, exports, require) {"use strict";\n${code}\n})`, {
    filename: `worker:${workerName}/bundle.js`,
  }) as (module: { exports: any }, exports: any, require: (name: string) => unknown) => void;
  const module = { exports: {} as Record<string, unknown> };
  const require = (name: string) => {
    if (!(name in hostModules)) throw new Error(`worker "${workerName}" imports "${name}", which this adapter does not provide`);
    return hostModules[name];
  };
  try {
    wrapper(module, module.exports, require);
  } catch (error) {
    if (error instanceof Error) error.message = `worker "${workerName}" threw while its modules were evaluated: ${error.message}`;
    throw error;
  }
  return module.exports;
}
