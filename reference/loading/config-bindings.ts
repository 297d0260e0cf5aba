/**
 * The wrangler.toml keys beyond RPC that the reference reads: `[[d1_databases]]`, `[[rules]]`, and
 * the binding kinds it does not provide (warned about, then refused when touched). Kept apart from
 * `config.ts` so that file stays about the RPC subset; it shares its error and warning conventions,
 * whose two types (`KeyPath`, `Fail`) are defined here so that config.ts imports this file and not
 * the other way round.
 */
import path from "node:path";
import { TomlDate } from "smol-toml";
import type { D1DatabaseBinding } from "../d1/storage.ts";
import type { UnavailableBinding } from "./definition.ts";
import { MODULE_RULE_TYPES, type ModuleRule, type ModuleRuleType } from "./module-rules.ts";

/** A path of keys into a wrangler.toml, e.g. `["services", 1, "binding"]`, for messages and line lookup. */
export type KeyPath = (string | number)[];

/** Throws the config's one-line error for a problem, at a key if given. */
export type Fail = (problem: string, key?: KeyPath) => never;

const D1_KEYS = new Set(["binding", "database_name", "database_id", "preview_database_id", "migrations_dir", "migrations_table", "database_internal_env", "remote"]);
const RULE_KEYS = new Set(["type", "globs", "fallthrough"]);

/**
 * Binding kinds the reference does not provide (arrays of tables naming a `binding`, or
 * `durable_objects.bindings` naming a `name`): each gets a one-line warning naming file, line and
 * key, and its bindings throw when touched. Other keys it does not run (`[triggers]`,
 * `[observability]`, …) get config.ts's "unknown key" warning, which names the same.
 */
const UNAVAILABLE_BINDING_KINDS = [
  "kv_namespaces", "r2_buckets", "queues", "durable_objects", "analytics_engine_datasets", "vectorize", "hyperdrive",
  "ai", "browser", "send_email", "dispatch_namespaces", "mtls_certificates", "workflows", "images", "version_metadata",
  "secrets_store_secrets", "pipelines", "unsafe", "assets",
];

export function unavailableBindings(
  toml: Record<string, unknown>,
  warn: (key: KeyPath, problem: string) => void,
): { kinds: Set<string>; bindings: UnavailableBinding[] } {
  const kinds = new Set<string>();
  const bindings: UnavailableBinding[] = [];
  for (const kind of UNAVAILABLE_BINDING_KINDS) {
    const value = toml[kind];
    if (value === undefined) continue;
    kinds.add(kind);
    const entries = kind === "durable_objects" && isTable(value) ? value.bindings : kind === "queues" && isTable(value) ? value.producers : value;
    const names = (Array.isArray(entries) ? entries : [entries])
      .filter(isTable)
      .map((entry) => entry.binding ?? entry.name)
      .filter((name): name is string => typeof name === "string" && name !== "");
    for (const name of names) bindings.push({ binding: name, kind });
    const which = names.length === 0 ? "" : `; ${names.map((name) => `env.${name}`).join(", ")} will throw when used`;
    // `[[kv_namespaces]]` is written as an array of tables: point at its first entry's line.
    warn(Array.isArray(value) ? [kind, 0] : [kind], `not supported by the reference runtime, ignored${which}`);
  }
  return { kinds, bindings };
}

export function readD1Databases(value: unknown, configDir: string, fail: Fail, warnUnknown: (key: KeyPath) => void): D1DatabaseBinding[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`expected an array of tables ([[d1_databases]]), got ${describeValue(value)}`, ["d1_databases"]);
  return (value as unknown[]).map((entry, index) => {
    const at = (key: string): KeyPath => ["d1_databases", index, key];
    if (!isTable(entry)) fail(`expected a table, got ${describeValue(entry)}`, ["d1_databases", index]);
    const table = entry as Record<string, unknown>;
    for (const key of Object.keys(table)) if (!D1_KEYS.has(key)) warnUnknown(at(key));
    const text = (key: string, required: boolean): string | undefined => {
      const item = table[key];
      if (item === undefined) return required ? fail("required key is missing", at(key)) : undefined;
      if (typeof item !== "string") fail(`expected a string, got ${describeValue(item)}`, at(key));
      if (item === "") fail("must not be empty", at(key));
      return item as string;
    };
    const binding = text("binding", true)!;
    if (!/^[A-Za-z_$][\w$]*$/.test(binding)) fail(`expected a JavaScript identifier, got ${JSON.stringify(binding)}`, at("binding"));
    const databaseName = text("database_name", false);
    const databaseId = text("database_id", false);
    text("preview_database_id", false);
    const migrationsTable = text("migrations_table", false) ?? "d1_migrations";
    if (!/^[A-Za-z_][\w]*$/.test(migrationsTable)) fail(`expected a table name (letters, digits, _), got ${JSON.stringify(migrationsTable)}`, at("migrations_table"));
    return {
      binding,
      ...(databaseName !== undefined && { databaseName }),
      databaseId: databaseId ?? databaseName ?? binding,
      migrationsDir: path.resolve(configDir, text("migrations_dir", false) ?? "migrations"),
      migrationsTable,
      configDir,
    };
  });
}

export function readRules(value: unknown, fail: Fail, warnUnknown: (key: KeyPath) => void): ModuleRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`expected an array of tables ([[rules]]), got ${describeValue(value)}`, ["rules"]);
  return (value as unknown[]).map((entry, index) => {
    if (!isTable(entry)) fail(`expected a table, got ${describeValue(entry)}`, ["rules", index]);
    const table = entry as Record<string, unknown>;
    for (const key of Object.keys(table)) if (!RULE_KEYS.has(key)) warnUnknown(["rules", index, key]);
    const type = table.type;
    if (!MODULE_RULE_TYPES.includes(type as ModuleRuleType)) {
      fail(`expected one of ${MODULE_RULE_TYPES.join(", ")}, got ${describeValue(type)}`, ["rules", index, "type"]);
    }
    const globs = table.globs;
    if (!Array.isArray(globs) || globs.length === 0 || globs.some((glob) => typeof glob !== "string")) {
      fail(`expected a non-empty array of strings, got ${describeValue(globs)}`, ["rules", index, "globs"]);
    }
    if (table.fallthrough !== undefined && typeof table.fallthrough !== "boolean") {
      fail(`expected true or false, got ${describeValue(table.fallthrough)}`, ["rules", index, "fallthrough"]);
    }
    return { type: type as ModuleRuleType, globs: globs as string[], ...(table.fallthrough === true && { fallthrough: true }) };
  });
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "a table";
  return String(value);
}
