/**
 * Run one of `reference/examples/` on the reference and on workerd (Miniflare, the newer workerd
 * binary, as the `workerd` adapter boots it) from the same wrangler.toml files, and ask both the
 * same HTTP questions. D1 databases are local on both sides: files in a temporary state folder on
 * the reference, Miniflare's own local D1 on workerd, each migrated from the example's
 * `migrations/` the way wrangler does.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Miniflare } from "miniflare";
import { bootMiniflare, miniflareWorkerOptions } from "../../conformance/adapters/workerd.ts";
import { loadWranglerConfigs, startScenario } from "../../reference/index.ts";
import type { ReferenceScenario, WorkerDefinition } from "../../reference/index.ts";
import { D1Engine } from "../../reference/d1/engine.ts";
import { applyMigrations, databaseFile, migrationFiles, type D1DatabaseBinding } from "../../reference/d1/storage.ts";

export const EXAMPLES = path.resolve("reference/examples");

/** What a caller can see of an HTTP answer. */
export interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

export interface BothRuntimes {
  reference: ReferenceScenario;
  workerd: Miniflare;
  definitions: WorkerDefinition[];
  /** The same request to `worker` on both runtimes. */
  ask(worker: string, pathAndQuery: string, init?: RequestInit): Promise<{ reference: Answer; workerd: Answer }>;
  dispose(): Promise<void>;
}

export async function loadExample(example: string, workers: string[]): Promise<WorkerDefinition[]> {
  return loadWranglerConfigs(workers.map((worker) => path.join(EXAMPLES, example, worker, "wrangler.toml")), { onWarning: () => {} });
}

const routeHost = (name: string) => `${name}.worker.invalid`;

/**
 * Boot `definitions` (plus `extra` workers, e.g. a test's own probe) on both runtimes. Migrations
 * are applied before any request: on the reference to its in-memory databases (through the same
 * engine registry the runtime opens), on workerd through Miniflare's D1 binding.
 */
export async function startBoth(definitions: WorkerDefinition[], extra: WorkerDefinition[] = []): Promise<BothRuntimes> {
  const all = [...definitions, ...extra];
  // As a person would: `d1 migrations apply` into a state folder, then start with --persist-to.
  const state = mkdtempSync(path.join(tmpdir(), "reference-d1-"));
  await migrateFiles(all, state);
  const reference = await startScenario(all, { onLog: () => {}, d1Storage: { persistTo: state } });
  const workerd = await bootMiniflare({
    workers: all.map((worker) => ({
      ...miniflareWorkerOptions(worker),
      routes: [`${routeHost(worker.name)}/*`],
      d1Databases: Object.fromEntries((worker.d1Databases ?? []).map((database) => [database.binding, database.databaseId])),
    })),
  });
  for (const worker of all) for (const database of worker.d1Databases ?? []) await migrateOnWorkerd(workerd, worker.name, database);
  return {
    reference,
    workerd,
    definitions,
    async ask(worker, pathAndQuery, init = {}) {
      const onReference = await reference.fetch(worker, new Request(`http://${routeHost(worker)}${pathAndQuery}`, init));
      const onWorkerd = await workerd.dispatchFetch(`http://${routeHost(worker)}${pathAndQuery}`, init as never);
      return { reference: await answerOf(onReference), workerd: await answerOf(onWorkerd as unknown as Response) };
    },
    async dispose() {
      await reference.dispose();
      await workerd.dispose();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() };
}

async function migrateFiles(workers: WorkerDefinition[], state: string): Promise<void> {
  for (const worker of workers) {
    for (const database of worker.d1Databases ?? []) {
      const engine = await D1Engine.open({ file: databaseFile(database, { persistTo: state }) });
      applyMigrations(engine, database);
      engine.close();
    }
  }
}

/** What `wrangler d1 migrations apply --local` does: the tracking table, then each file with its record, atomically. */
async function migrateOnWorkerd(mf: Miniflare, worker: string, database: D1DatabaseBinding): Promise<void> {
  const db = await mf.getD1Database(database.binding, worker);
  await db
    .prepare(`CREATE TABLE IF NOT EXISTS ${database.migrationsTable}(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`)
    .run();
  for (const name of migrationFiles(database)) {
    const done = await db.prepare(`SELECT 1 FROM ${database.migrationsTable} WHERE name = ?`).bind(name).first();
    if (done !== null) continue;
    const sql = readFileSync(path.join(database.migrationsDir, name), "utf8");
    await db.batch([db.prepare(sql), db.prepare(`INSERT INTO ${database.migrationsTable} (name) VALUES (?)`).bind(name)]);
  }
}
