/**
 * Turns a worker's ES module sources into its exports, inside its own realm.
 *
 * The modules are bundled once by esbuild into a single CommonJS script (Node's `vm` has no
 * stable ES module loader), then evaluated once per scenario in the worker's realm with a
 * `require` that serves only the built-in modules (`cloudflare:workers`). Module-level state
 * therefore lives exactly as long as the scenario, as it would in one workerd isolate.
 *
 * Bundles are cached by source text, so a suite that boots the same probe workers many times
 * pays for esbuild once.
 */
import path from "node:path";
import * as esbuild from "esbuild";
import { ScenarioError } from "./errors.ts";
import type { WorkerRealm } from "./realm.ts";
import { BUILTIN_MODULES } from "./workers-module.ts";

/** The parts of a worker definition the loader needs. */
export interface WorkerSources {
  name: string;
  main: string;
  modules: Record<string, string>;
}

export interface LoadOptions {
  /** Fault `expose-private`: rewrite #private members into public ones before bundling. */
  exposePrivate?: boolean;
}

const NAMESPACE = "worker-module";
const bundleCache = new Map<string, string>();
const BUNDLE_CACHE_LIMIT = 256;

/**
 * Bundle a worker's modules (cached by source) and return the function that evaluates them in
 * `realm` and returns the main module's exports. Evaluation is left to the caller so that a
 * scenario can run every worker's top-level code under one time budget (see runtime.ts).
 */
export async function loadWorker(
  sources: WorkerSources,
  realm: WorkerRealm,
  builtins: Record<string, unknown>,
  options: LoadOptions = {},
): Promise<() => Record<string, unknown>> {
  const code = await bundleWorker(sources, options);
  return () => evaluateBundle(sources, realm, code, builtins);
}

async function bundleWorker(sources: WorkerSources, options: LoadOptions): Promise<string> {
  const key = JSON.stringify([sources.main, sources.modules, options.exposePrivate === true]);
  const cached = bundleCache.get(key);
  if (cached !== undefined) return cached;

  const modules = new Map<string, string>();
  for (const [name, source] of Object.entries(sources.modules)) modules.set(normalizeModuleName(name), source);
  const main = normalizeModuleName(sources.main);
  if (!modules.has(main)) {
    throw new ScenarioError(`worker "${sources.name}": main module "${sources.main}" is not among its modules (${[...modules.keys()].join(", ")})`);
  }
  // VIS-PRIVATE: #private members stay private; the loader hands esbuild the sources untouched.
  if (options.exposePrivate) {
    const { exposePrivateMembers } = await import("./expose-private.ts"); // fault expose-private (VIS-PRIVATE)
    for (const [name, source] of modules) modules.set(name, exposePrivateMembers(name, source));
  }

  let result: esbuild.BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [main],
      bundle: true,
      write: false,
      format: "cjs",
      platform: "neutral",
      target: "es2022",
      // One scope for all modules: the bundler renames clashing top-level names (two modules'
      // `class E` become E and E2). keepNames keeps each function's and class's own `.name`,
      // which workers observe (error messages name classes; workerd keeps modules apart).
      keepNames: true,
      logLevel: "silent",
      plugins: [inMemoryModules(modules)],
    });
  } catch (error) {
    throw new ScenarioError(`worker "${sources.name}": ${formatBuildFailure(error).replace(`${NAMESPACE}:`, "")}`);
  }
  const code = result.outputFiles[0]!.text;
  if (bundleCache.size >= BUNDLE_CACHE_LIMIT) bundleCache.delete(bundleCache.keys().next().value!);
  bundleCache.set(key, code);
  return code;
}

/** Resolves imports against the worker's own module map; nothing is read from disk. */
function inMemoryModules(modules: Map<string, string>): esbuild.Plugin {
  return {
    name: "reference-in-memory-modules",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path.startsWith("cloudflare:")) {
          if ((BUILTIN_MODULES as readonly string[]).includes(args.path)) return { path: args.path, external: true };
          return { errors: [{ text: `imports "${args.path}", which the reference runtime does not provide (it provides ${BUILTIN_MODULES.join(", ")})` }] };
        }
        const resolved = resolveSpecifier(args.path, args.kind === "entry-point" ? "" : args.importer);
        if (resolved !== undefined && modules.has(resolved)) return { path: resolved, namespace: NAMESPACE };
        const from = args.importer ? ` (imported from ${args.importer})` : "";
        return { errors: [{ text: `cannot find module "${args.path}"${from}; the worker's modules are ${[...modules.keys()].join(", ")}` }] };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: modules.get(args.path)!,
        loader: loaderFor(args.path),
      }));
    },
  };
}

/** Module names are paths relative to the worker's root, as workerd names them. */
function normalizeModuleName(name: string): string {
  return path.posix.normalize(name).replace(/^(\.\/|\/)+/, "");
}

function resolveSpecifier(specifier: string, importer: string): string | undefined {
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    const joined = path.posix.join(path.posix.dirname(importer || "."), specifier);
    return joined.startsWith("..") ? undefined : normalizeModuleName(joined);
  }
  if (specifier.startsWith("/")) return normalizeModuleName(specifier);
  return normalizeModuleName(specifier); // a bare name that is itself a module's name
}

function loaderFor(name: string): esbuild.Loader {
  if (name.endsWith(".ts") || name.endsWith(".mts")) return "ts";
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".txt")) return "text";
  return "js";
}

/** esbuild's first error, as `file:line:column: text`. Shared with the wrangler.toml loader. */
export function formatBuildFailure(error: unknown): string {
  const messages = (error as { errors?: esbuild.Message[] }).errors;
  const first = messages?.[0];
  if (first === undefined) return error instanceof Error ? error.message : String(error);
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : "";
  return `${where}${first.text}`;
}

/**
 * Run the bundle in the worker's realm. The function wrapper keeps the bundle on its own first
 * line, so line numbers in the worker's stack traces match the bundle.
 */
function evaluateBundle(
  sources: WorkerSources,
  realm: WorkerRealm,
  code: string,
  builtins: Record<string, unknown>,
): Record<string, unknown> {
  const filename = `${sources.name}/${normalizeModuleName(sources.main)}`;
  const module = { exports: {} as Record<string, unknown> };
  const require = (specifier: string): unknown => {
    if (Object.hasOwn(builtins, specifier)) return builtins[specifier];
    throw new ScenarioError(`worker "${sources.name}": module "${specifier}" is not available`);
  };
  try {
    const run = realm.evaluate(`(function (exports, require, module) {"use strict";${code}\n})`, filename, { userCode: true }) as (
      exports: unknown,
      require: unknown,
      module: unknown,
    ) => void;
    run(module.exports, require, module);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError(`worker "${sources.name}": evaluating ${normalizeModuleName(sources.main)} threw ${describe(error)}`);
  }
  return module.exports;
}

function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return "an exception";
  }
}
