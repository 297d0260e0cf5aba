/**
 * wrangler.toml → WorkerDefinition.
 *
 * Reads the subset of wrangler's configuration the reference runs (name, main,
 * compatibility_date, compatibility_flags, [vars], [[services]]), validates it, and bundles `main`
 * and what it imports from disk into one ES module. Every problem is one {@link ConfigError}
 * whose message says where it is: `path/wrangler.toml:7: services[1].binding: expected a string,
 * got 42`. Keys the reference does not know are warned about and ignored, as wrangler itself
 * warns about unexpected fields.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import * as esbuild from "esbuild";
import { parse, TomlDate, TomlError } from "smol-toml";
import { formatBuildFailure } from "./loader.ts";
import type { ServiceBinding, WorkerDefinition } from "./definition.ts";
import { readD1Databases, readRules, unavailableBindings, type Fail, type KeyPath } from "./config-bindings.ts";
import { moduleRulesPlugin, type ModuleRule } from "./module-rules.ts";

/** A configuration problem, located as precisely as the source allows. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** The configuration file, as the caller named it. */
  readonly file: string;
  /** 1-based line of the offending key (or of its table), when it can be found. */
  readonly line?: number;
  /** The offending key as a path, e.g. `services[1].binding`. */
  readonly key?: string;

  constructor(problem: string, where: { file: string; line?: number; key?: string }) {
    super(`${where.file}${where.line === undefined ? "" : `:${where.line}`}: ${where.key === undefined ? "" : `${where.key}: `}${problem}`);
    this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
    if (where.key !== undefined) this.key = where.key;
    this.stack = `${this.name}: ${this.message}`; // the message is the whole story
  }
}

export interface ConfigWarning {
  file: string;
  line?: number;
  key?: string;
  message: string;
}

export interface LoadConfigOptions {
  /** Receives warnings (unknown keys); by default they are printed with console.warn. */
  onWarning?: (warning: ConfigWarning) => void;
}

/** Read, validate and bundle one wrangler.toml. */
export async function loadWranglerToml(file: string, options: LoadConfigOptions = {}): Promise<WorkerDefinition> {
  return (await readConfig(file, options)).definition;
}

/**
 * Load several configs meant to run together, and check what only makes sense together: worker
 * names are unique, and every `service` names one of the loaded workers.
 */
export async function loadWranglerConfigs(files: string[], options: LoadConfigOptions = {}): Promise<WorkerDefinition[]> {
  const configs: LoadedConfig[] = [];
  for (const file of files) configs.push(await readConfig(file, options));
  const byName = new Map<string, LoadedConfig>();
  for (const config of configs) {
    const { name } = config.definition;
    const first = byName.get(name);
    if (first !== undefined) config.fail(`worker "${name}" is also defined by ${first.file}`, ["name"]);
    byName.set(name, config);
  }
  for (const config of configs) {
    config.definition.services.forEach((service, index) => {
      const target = byName.get(service.service);
      if (target === undefined) {
        config.fail(`no worker named "${service.service}" among the loaded configs (${[...byName.keys()].join(", ")})`, [
          "services",
          index,
          "service",
        ]);
      }
      // BIND-DEFAULT-ENTRYPOINT: without `entrypoint`, the binding reaches the default export.
      if (service.entrypoint === undefined && !target.exports.includes("default")) {
        config.fail(`worker "${target.definition.name}" (${target.file}) has no default export to bind to; name one of its exports with "entrypoint"`, [
          "services",
          index,
          "service",
        ]);
      }
      // BIND-NAMED-ENTRYPOINT: the named export must exist; caught here so the error can say where.
      if (service.entrypoint !== undefined && !target.exports.includes(service.entrypoint)) {
        const exported = target.exports.length === 0 ? "it exports nothing" : `its exports: ${target.exports.join(", ")}`;
        config.fail(`worker "${target.definition.name}" (${target.file}) has no export named "${service.entrypoint}" (${exported})`, [
          "services",
          index,
          "entrypoint",
        ]);
      }
    });
  }
  for (const config of configs) mainLines.set(config.definition, { file: config.file, line: config.mainLine });
  return configs.map((config) => config.definition);
}

/** Where each loaded definition's `main` is written, for {@link locateStartFailure}. */
const mainLines = new WeakMap<WorkerDefinition, { file: string; line: number | undefined }>();

/**
 * A worker whose `main` builds but throws while it is evaluated can only fail when the scenario
 * starts. Given that ScenarioError and the definitions from {@link loadWranglerConfigs}, returns
 * the same problem as a ConfigError at the config's `main` key; undefined for anything else.
 */
export function locateStartFailure(error: unknown, definitions: readonly WorkerDefinition[]): ConfigError | undefined {
  if (!(error instanceof Error) || error.name !== "ScenarioError") return undefined;
  for (const definition of definitions) {
    const prefix = `worker "${definition.name}": `;
    const where = mainLines.get(definition);
    if (where === undefined || !error.message.startsWith(prefix)) continue;
    const problem = error.message.slice(prefix.length);
    // Only what running `main` itself raised: its top-level code threw, or it required a module that is not there.
    if (!/^(?:evaluating |module ")/.test(problem)) return undefined;
    return new ConfigError(`worker "${definition.name}" does not start: ${problem}`, { file: where.file, line: where.line, key: "main" });
  }
  return undefined;
}

interface LoadedConfig {
  file: string;
  definition: WorkerDefinition;
  mainLine: number | undefined;
  /** The names `main` exports, as the bundler sees them ("default" included). */
  exports: readonly string[];
  fail(problem: string, key?: KeyPath): never;
}

const KNOWN_KEYS = new Set(["name", "main", "compatibility_date", "compatibility_flags", "vars", "services", "d1_databases", "rules"]);
const SERVICE_KEYS = new Set(["binding", "service", "entrypoint", "props"]);

async function readConfig(file: string, options: LoadConfigOptions): Promise<LoadedConfig> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { file });
  }
  const lines = new KeyLines(source);
  const fail = (problem: string, key?: KeyPath): never => {
    throw new ConfigError(problem, { file, line: key && lines.lineOf(key), key: key && formatKey(key) });
  };
  const warn = options.onWarning ?? ((warning: ConfigWarning) => console.warn(`warning: ${warning.message}`));
  const warnUnknown = (key: KeyPath) => {
    const line = lines.lineOf(key);
    const where = `${file}${line === undefined ? "" : `:${line}`}: ${formatKey(key)}`;
    warn({ file, line, key: formatKey(key), message: `${where}: unknown key, ignored by the reference runtime` });
  };

  let toml: Record<string, unknown>;
  try {
    toml = parse(source) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const firstLine = error.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
      throw new ConfigError(`invalid TOML: ${firstLine}`, { file, line: error.line });
    }
    throw error;
  }

  // Binding kinds the reference lacks are warned about here; touching one on env throws (config-bindings.ts).
  const unavailable = unavailableBindings(toml, (key, problem) => {
    const line = lines.lineOf(key);
    warn({ file, line, key: formatKey(key), message: `${file}${line === undefined ? "" : `:${line}`}: ${formatKey(key)}: ${problem}` });
  });
  for (const key of Object.keys(toml)) if (!KNOWN_KEYS.has(key) && !unavailable.kinds.has(key)) warnUnknown([key]);

  const name = requireString(toml, ["name"], fail);
  if (name === "") fail("must not be empty", ["name"]);
  const main = requireString(toml, ["main"], fail);
  const compatibilityDate = readDate(toml.compatibility_date, fail);
  const compatibilityFlags = readFlags(toml.compatibility_flags, fail);
  const vars = readVars(toml.vars, fail);
  const services = readServices(toml.services, fail, warnUnknown);
  const configDir = path.resolve(path.dirname(file));
  const d1Databases = readD1Databases(toml.d1_databases, configDir, fail, warnUnknown);
  const rules = readRules(toml.rules, fail, warnUnknown);

  const seen = new Set(Object.keys(vars));
  services.forEach((service, index) => {
    if (seen.has(service.binding)) fail(`binding name "${service.binding}" is already in use on env`, ["services", index, "binding"]);
    seen.add(service.binding);
  });
  d1Databases.forEach((database, index) => {
    if (seen.has(database.binding)) fail(`binding name "${database.binding}" is already in use on env`, ["d1_databases", index, "binding"]);
    seen.add(database.binding);
  });

  const bundled = await bundleMain(path.resolve(path.dirname(file), main), main, fail, rules);
  const exports = bundled.exports;
  const definition: WorkerDefinition = {
    name,
    main: "index.js",
    modules: { "index.js": bundled.code },
    compatibilityDate,
    compatibilityFlags,
    vars,
    services,
    ...(d1Databases.length > 0 && { d1Databases }),
    ...(unavailable.bindings.length > 0 && { unavailableBindings: unavailable.bindings.filter((binding) => !seen.has(binding.binding)) }),
  };
  return { file, definition, exports, fail, mainLine: lines.lineOf(["main"]) };
}

function requireString(table: Record<string, unknown>, key: [string], fail: Fail): string {
  const value = table[key[0]];
  if (value === undefined) fail("required key is missing", key);
  if (typeof value !== "string") fail(`expected a string, got ${describeValue(value)}`, key);
  return value as string;
}

function readDate(value: unknown, fail: Fail): string {
  const key = ["compatibility_date"];
  if (value === undefined) fail('required key is missing (a date "YYYY-MM-DD")', key);
  // An unquoted TOML date is what people write; take it as the string it spells.
  const text = value instanceof TomlDate && value.isDate() ? value.toISOString() : value;
  if (typeof text !== "string") fail(`expected a date "YYYY-MM-DD", got ${describeValue(value)}`, key);
  const date = text as string;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    fail(`expected a date "YYYY-MM-DD", got ${JSON.stringify(date)}`, key);
  }
  return date;
}

function readFlags(value: unknown, fail: Fail): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`expected an array of strings, got ${describeValue(value)}`, ["compatibility_flags"]);
  (value as unknown[]).forEach((flag, index) => {
    if (typeof flag !== "string") fail(`expected a string, got ${describeValue(flag)}`, ["compatibility_flags", index]);
  });
  return value as string[];
}

function readVars(value: unknown, fail: Fail): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isTable(value)) fail(`expected a table, got ${describeValue(value)}`, ["vars"]);
  return toJson(value, ["vars"], fail) as Record<string, unknown>;
}

function readServices(value: unknown, fail: Fail, warnUnknown: (key: KeyPath) => void): ServiceBinding[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`expected an array of tables ([[services]]), got ${describeValue(value)}`, ["services"]);
  return (value as unknown[]).map((entry, index) => {
    if (!isTable(entry)) fail(`expected a table, got ${describeValue(entry)}`, ["services", index]);
    const table = entry as Record<string, unknown>;
    for (const key of Object.keys(table)) if (!SERVICE_KEYS.has(key)) warnUnknown(["services", index, key]);
    const service: ServiceBinding = {
      binding: requireServiceString(table, index, "binding", fail),
      service: requireServiceString(table, index, "service", fail),
    };
    if (table.entrypoint !== undefined) {
      if (typeof table.entrypoint !== "string") fail(`expected a string, got ${describeValue(table.entrypoint)}`, ["services", index, "entrypoint"]);
      service.entrypoint = table.entrypoint as string;
    }
    if (table.props !== undefined) {
      if (!isTable(table.props)) fail(`expected a table, got ${describeValue(table.props)}`, ["services", index, "props"]);
      service.props = toJson(table.props, ["services", index, "props"], fail) as Record<string, unknown>;
    }
    return service;
  });
}

function requireServiceString(table: Record<string, unknown>, index: number, key: string, fail: Fail): string {
  const value = table[key];
  if (value === undefined) fail("required key is missing", ["services", index, key]);
  if (typeof value !== "string") fail(`expected a string, got ${describeValue(value)}`, ["services", index, key]);
  if (value === "") fail("must not be empty", ["services", index, key]);
  return value as string;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

/**
 * How deep a var or props value may nest. TOML's dotted keys build a table per dot, so one short
 * line can nest thousands deep; past this the reference refuses the value here, with its key,
 * rather than overflowing the stack while copying it into a worker (a reference limit, not
 * workerd's).
 */
export const MAX_VALUE_NESTING = 256;

/** TOML values as the JSON values a worker sees in env (dates become their TOML text). */
function toJson(value: unknown, key: KeyPath, fail: Fail, depth = 0): unknown {
  if (depth > MAX_VALUE_NESTING) fail(`nested more than ${MAX_VALUE_NESTING} levels deep; the reference runtime refuses deeper values`, key);
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return value.map((item, index) => toJson(item, depth === 0 ? [...key, index] : key, fail, depth + 1));
  if (isTable(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, toJson(item, depth === 0 ? [...key, name] : key, fail, depth + 1)]));
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof TomlDate) return `a date (${value.toISOString()})`;
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "a table";
  return String(value);
}

function formatKey(key: KeyPath): string {
  return key.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

async function bundleMain(absoluteMain: string, main: string, fail: Fail, rules: ModuleRule[]): Promise<{ code: string; exports: string[] }> {
  const info = await stat(absoluteMain).catch(() => undefined);
  if (info === undefined || !info.isFile()) fail(`file "${main}" does not exist (looked for ${absoluteMain})`, ["main"]);
  try {
    const result = await esbuild.build({
      entryPoints: [absoluteMain],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      external: ["cloudflare:*"],
      mainFields: ["module", "main"],
      conditions: ["workerd", "worker", "browser"],
      logLevel: "silent",
      metafile: true,
      // Text, Data and CompiledWasm imports, as wrangler's module rules load them.
      plugins: [moduleRulesPlugin(path.dirname(absoluteMain), rules)],
    });
    // An ES module's exports are static, so the bundler can list them without running anything.
    const exports = Object.values(result.metafile.outputs)[0]?.exports ?? [];
    return { code: result.outputFiles[0]!.text, exports };
  } catch (error) {
    return fail(`does not build: ${formatBuildFailure(error)}`, ["main"]);
  }
}

/**
 * Finds the line of a key by reading the source as lines: table headers set the current table
 * (`[[services]]` counts its entries), `key = …` lines record `table.key`. A key that is not
 * written down (a missing one) is located at its table's header, if any.
 */
class KeyLines {
  readonly #lines = new Map<string, number>();

  constructor(source: string) {
    let table: KeyPath = [];
    const arrayCounts = new Map<string, number>();
    source.split(/\r?\n/).forEach((text, index) => {
      const line = index + 1;
      const arrayHeader = /^\s*\[\[\s*([^\]]+?)\s*\]\]/.exec(text);
      const header = arrayHeader ? undefined : /^\s*\[\s*([^\]]+?)\s*\]/.exec(text);
      if (arrayHeader) {
        const name = splitKey(arrayHeader[1]!);
        const id = JSON.stringify(name);
        const count = arrayCounts.get(id) ?? 0;
        arrayCounts.set(id, count + 1);
        table = [...name, count];
        this.#record(table, line);
        return;
      }
      if (header) {
        table = splitKey(header[1]!);
        this.#record(table, line);
        return;
      }
      const assignment = /^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=/.exec(text);
      if (assignment) {
        // A dotted key defines its leading parts too (`a.b = 1` defines `a`); the first few are enough to point at.
        const parts = splitKey(assignment[1]!);
        for (let length = 1; length < Math.min(parts.length, 8); length++) this.#record([...table, ...parts.slice(0, length)], line);
        this.#record([...table, ...parts], line);
      }
    });
  }

  lineOf(key: KeyPath): number | undefined {
    for (let length = key.length; length > 0; length--) {
      const line = this.#lines.get(JSON.stringify(key.slice(0, length)));
      if (line !== undefined) return line;
    }
    return undefined;
  }

  #record(key: KeyPath, line: number): void {
    const id = JSON.stringify(key);
    if (!this.#lines.has(id)) this.#lines.set(id, line);
  }
}

function splitKey(text: string): string[] {
  const parts: string[] = [];
  const pattern = /\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  for (let match = pattern.exec(text); match !== null && match[0] !== ""; match = pattern.exec(text)) {
    parts.push(match[1] ?? match[2] ?? match[3]!);
  }
  return parts;
}
