/**
 * Where a D1 database lives, and its migrations.
 *
 * A database is one SQLite file, `<state>/d1/<database_id>.sqlite`. `<state>` is `--persist-to`
 * when given, else `.wrangler/reference-state` in the folder of the wrangler.toml that declares
 * the database (as wrangler keeps `.wrangler/state` beside the project). Migrations are wrangler's:
 * the `.sql` files of `migrations_dir` (default `migrations`) in name order, each recorded in the
 * `migrations_table` (default `d1_migrations`) with the same schema `wrangler d1 migrations apply
 * --local` creates, each applied in one transaction with its record.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { D1Engine } from "./engine.ts";

/** A `[[d1_databases]]` entry, in wrangler terms. */
export interface D1DatabaseBinding {
  /** Name on the worker's `env`. */
  binding: string;
  databaseName?: string;
  /** Identifies the database: workers naming the same id share it. Defaults to the database name, then the binding. */
  databaseId: string;
  /** Absolute path of the migrations folder. */
  migrationsDir: string;
  migrationsTable: string;
  /** The folder of the declaring wrangler.toml (where the default state folder goes). */
  configDir?: string;
}

/** Where databases are kept: in memory, or files under a state folder. */
export type D1Storage = { inMemory: true } | { persistTo?: string };

export const DEFAULT_STATE_DIR = path.join(".wrangler", "reference-state");

/** The file of one database under `storage`, or undefined when it is kept in memory. */
export function databaseFile(database: D1DatabaseBinding, storage: D1Storage): string | undefined {
  if ("inMemory" in storage) return undefined;
  const state = storage.persistTo ?? path.join(database.configDir ?? process.cwd(), DEFAULT_STATE_DIR);
  return path.resolve(state, "d1", `${database.databaseId.replace(/[^A-Za-z0-9._-]/g, "_")}.sqlite`);
}

/**
 * Opens each database once per scenario: two bindings (in one worker or two) naming the same
 * database id reach the same engine, as they reach the same D1 database.
 */
export class D1Databases {
  readonly #storage: D1Storage;
  readonly #open = new Map<string, Promise<D1Engine>>();

  constructor(storage: D1Storage) {
    this.#storage = storage;
  }

  open(database: D1DatabaseBinding): Promise<D1Engine> {
    const file = databaseFile(database, this.#storage);
    const key = file ?? `memory:${database.databaseId}`;
    let engine = this.#open.get(key);
    if (engine === undefined) {
      engine = D1Engine.open({ file });
      this.#open.set(key, engine);
    }
    return engine;
  }

  async close(): Promise<void> {
    for (const engine of this.#open.values()) (await engine).close();
    this.#open.clear();
  }
}

export interface MigrationStatus {
  name: string;
  applied: boolean;
}

/** The migration files, in the order wrangler applies them. */
export function migrationFiles(database: D1DatabaseBinding): string[] {
  let names: string[];
  try {
    names = readdirSync(database.migrationsDir);
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith(".sql")).sort();
}

function ensureTable(engine: D1Engine, table: string): void {
  engine.execute(`CREATE TABLE IF NOT EXISTS ${table}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`);
}

export function listMigrations(engine: D1Engine, database: D1DatabaseBinding): MigrationStatus[] {
  ensureTable(engine, database.migrationsTable);
  const applied = new Set(engine.select(`SELECT name FROM ${database.migrationsTable}`).map((row) => String(row.name)));
  return migrationFiles(database).map((name) => ({ name, applied: applied.has(name) }));
}

/** Apply the migrations not yet applied, each atomically with its record; returns their names. */
export function applyMigrations(engine: D1Engine, database: D1DatabaseBinding): string[] {
  const pending = listMigrations(engine, database).filter((migration) => !migration.applied);
  for (const { name } of pending) {
    const sql = readFileSync(path.join(database.migrationsDir, name), "utf8");
    try {
      engine.transaction([
        { sql, params: [] },
        { sql: `INSERT INTO ${database.migrationsTable} (name) VALUES (?)`, params: [name] },
      ]);
    } catch (error) {
      throw new Error(`migration ${name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return pending.map((migration) => migration.name);
}
