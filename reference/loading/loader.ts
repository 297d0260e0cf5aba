/**
 * Turns a worker's ES module sources into its exports, inside its own realm.
 *
 * Node's `vm` has no stable ES module loader, so each module is compiled on its own by esbuild
 * from module syntax to a CommonJS function body, and the worker's modules are then evaluated in
 * its realm through a small `require`: each module once, on first import, imports resolved against
 * the worker's own module map, built-ins (`cloudflare:workers`) served by the runtime. Module
 * state therefore lives exactly as long as the scenario, as it would in one workerd isolate, and
 * each module keeps its own scope (no renaming of clashing top-level names).
 *
 * Compiled modules are cached by source text: a module many workers share (the suite's harness)
 * is compiled once, and V8 reuses its compiled code across realms. An import the worker cannot
 * satisfy is reported the way esbuild's bundler locates it (`index.js:1:19: cannot find module …`).
 */
import path from "node:path";
import * as esbuild from "esbuild";
import { ScenarioError } from "../rpc/errors.ts";
import type { WorkerRealm } from "./realm.ts";
import { seams } from "../seams.ts";
import { BUILTIN_MODULES } from "./workers-module.ts";

/** The parts of a worker definition the loader needs. */
export interface WorkerSources {
  name: string;
  main: string;
  modules: Record<string, string>;
}

const NAMESPACE = "worker-module";
/** One module, compiled: its CommonJS body, or why it does not compile (thrown only if imported). */
type Compiled = { code: string; failure?: undefined; anonymousDefault?: string } | { code?: undefined; failure: string; anonymousDefault?: undefined };
const compileCache = new Map<string, Promise<Compiled>>();
const COMPILE_CACHE_LIMIT = 2048;

/**
 * Compile a worker's modules (cached by source) and return the function that evaluates them in
 * `realm` and returns the main module's exports. Evaluation is left to the caller so that a
 * scenario can run every worker's top-level code under one time budget (see runtime.ts).
 */
export async function loadWorker(
  sources: WorkerSources,
  realm: WorkerRealm,
  builtins: Record<string, unknown>,
): Promise<() => Record<string, unknown>> {
  const modules = new Map<string, string>();
  for (const [name, source] of Object.entries(sources.modules)) modules.set(normalizeModuleName(name), source);
  const main = normalizeModuleName(sources.main);
  if (!modules.has(main)) {
    throw new ScenarioError(`worker "${sources.name}": main module "${sources.main}" is not among its modules (${[...modules.keys()].join(", ")})`);
  }
  const steps = seams(realm, LOADER_SEAMS);
  for (const [name, source] of modules) modules.set(name, await steps.moduleSource(name, source));
  const compiled = new Map<string, Compiled>();
  await Promise.all([...modules].map(async ([name, source]) => compiled.set(name, await compileModule(name, source))));
  // A syntax error, or an import nothing provides, in a module the main module reaches fails
  // the boot now, located by the bundler; modules nothing imports are never looked at again.
  if (needsDiagnosis(main, compiled, builtins)) await diagnose(sources.name, main, modules);
  return () => evaluateModules(sources.name, main, realm, compiled, builtins);
}

/** How a worker's modules are prepared: the steps a broken variant may replace (seams.ts). */
export const LOADER_SEAMS = { moduleSource, nameDefaultExport };

/** VIS-PRIVATE: what esbuild is handed: the module's source untouched, so #private members stay private. */
function moduleSource(_name: string, source: string): string | Promise<string> {
  return source;
}

function compileModule(name: string, source: string): Promise<Compiled> {
  const loader = loaderFor(name);
  const key = `${loader}\0${source}`;
  let compiled = compileCache.get(key);
  if (compiled === undefined) {
    compiled = esbuild
      .transform(source, {
        format: "cjs",
        target: "es2022",
        loader,
        sourcefile: name,
        // `import()` becomes a require of the worker's own module, as the bundler did.
        supported: { "dynamic-import": false },
        logLevel: "silent",
      })
      .then(
        (result): Compiled => ({ code: result.code, anonymousDefault: anonymousDefaultName(source, result.code) }),
        (error: unknown): Compiled => ({ failure: formatBuildFailure(error) }),
      );
    if (compileCache.size >= COMPILE_CACHE_LIMIT) compileCache.delete(compileCache.keys().next().value!);
    compileCache.set(key, compiled);
  }
  return compiled;
}

/**
 * An anonymous `export default class {…}` / `function () {…}` / arrow is named "default" by ES
 * modules, but esbuild's CommonJS output binds it to a generated variable (`index_default` for
 * index.js), whose name it then takes. Returns that variable's name when the module has such an
 * export (a name esbuild made up: it is not in the source), so evaluation can restore "default".
 */
function anonymousDefaultName(source: string, code: string): string | undefined {
  const generated = /\bdefault: \(\) => ([A-Za-z_$][\w$]*_default)\b/.exec(code)?.[1];
  return generated !== undefined && !source.includes(generated) ? generated : undefined;
}

/** The specifiers a compiled module requires (esbuild writes every import as `require("…")`). */
function requiredSpecifiers(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/\brequire\(("(?:[^"\\\n]|\\.)*")\)/g)) {
    try {
      found.push(JSON.parse(match[1]!) as string);
    } catch {
      // not a plain string literal: nothing to check
    }
  }
  return found;
}

/** True when a module reachable from main fails to compile or imports something nothing provides. */
function needsDiagnosis(main: string, compiled: Map<string, Compiled>, builtins: Record<string, unknown>): boolean {
  const seen = new Set<string>();
  const visit = (name: string): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    const unit = compiled.get(name)!;
    if (unit.failure !== undefined) return true;
    for (const specifier of requiredSpecifiers(unit.code)) {
      if (Object.hasOwn(builtins, specifier)) continue;
      const target = resolveSpecifier(specifier, name);
      if (target === undefined || !compiled.has(target) || visit(target)) return true;
    }
    return false;
  };
  return visit(main);
}

/**
 * Bundle the worker once, only to have esbuild locate the first problem (file, line, column);
 * throws it as a ScenarioError. If the bundler finds nothing (a `require("…")` that was only text
 * in a string), the worker loads normally and a real failure surfaces when its code runs.
 */
async function diagnose(worker: string, main: string, modules: Map<string, string>): Promise<void> {
  try {
    await esbuild.build({
      entryPoints: [main],
      bundle: true,
      write: false,
      format: "cjs",
      platform: "neutral",
      target: "es2022",
      logLevel: "silent",
      plugins: [inMemoryModules(modules)],
    });
  } catch (error) {
    throw new ScenarioError(`worker "${worker}": ${formatBuildFailure(error).replace(`${NAMESPACE}:`, "")}`);
  }
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
 * Evaluate the main module in the worker's realm, and what it imports, each module once. A module
 * is registered before it runs, so an import cycle sees the exports defined so far, as with ES
 * modules. The wrapper keeps a module's code on its first line, so stack line numbers match it.
 */
function evaluateModules(
  worker: string,
  main: string,
  realm: WorkerRealm,
  compiled: Map<string, Compiled>,
  builtins: Record<string, unknown>,
): Record<string, unknown> {
  const { nameDefaultExport } = seams(realm, LOADER_SEAMS);
  const evaluated = new Map<string, { exports: Record<string, unknown> }>();
  const load = (name: string): Record<string, unknown> => {
    const done = evaluated.get(name);
    if (done !== undefined) return done.exports;
    const unit = compiled.get(name)!;
    if (unit.failure !== undefined) throw new ScenarioError(`worker "${worker}": ${unit.failure}`);
    const module = { exports: {} as Record<string, unknown> };
    evaluated.set(name, module);
    const require = (specifier: string): unknown => {
      if (Object.hasOwn(builtins, specifier)) return builtins[specifier];
      const target = resolveSpecifier(specifier, name);
      if (target !== undefined && compiled.has(target)) return load(target);
      throw new ScenarioError(`worker "${worker}": ${name}: cannot find module "${specifier}"`);
    };
    // Named by the module alone (not the worker), so identical modules share V8's compiled code.
    const run = realm.evaluate(`(function (exports, require, module) {"use strict";${unit.code}\n})`, name, { userCode: true }) as (
      exports: unknown,
      require: unknown,
      module: unknown,
    ) => void;
    run(module.exports, require, module);
    // BIND-DEFAULT-ANONYMOUS-NAME: an anonymous default export is named "default", not after the bundler's variable.
    if (unit.anonymousDefault !== undefined) nameDefaultExport(module.exports, unit.anonymousDefault);
    return module.exports;
  };
  try {
    return load(main);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError(`worker "${worker}": evaluating ${main} threw ${describe(error)}`);
  }
}

/** BIND-DEFAULT-ANONYMOUS-NAME: give an anonymous default export the name ES modules give it ("default"), unless it named itself (a static `name`). */
function nameDefaultExport(exports: Record<string, unknown>, generated: string): void {
  const value = exports.default;
  if (typeof value !== "function") return;
  const own = Object.getOwnPropertyDescriptor(value, "name");
  if (own === undefined || own.value !== generated || own.writable) return;
  Object.defineProperty(value, "name", { ...own, value: "default" });
}

function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return "an exception";
  }
}
