/**
 * D1 state survives: a process killed (SIGKILL) while it writes leaves a database file that opens
 * and holds every row whose call had returned. The reference writes the whole database to a
 * temporary file, fsyncs it and renames it into place, so a kill lands before or after a rename,
 * never inside a file someone reads.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { D1Engine } from "../../reference/d1/engine.ts";
import { databaseFile } from "../../reference/d1/storage.ts";
import { startScenario } from "../../reference/index.ts";

const DATABASE = { binding: "DB", databaseId: "durability", migrationsDir: "migrations", migrationsTable: "d1_migrations" };

/** Run the writer from `firstId` until it has reported `after` commits, then SIGKILL it; returns the last id it reported. */
async function killWriterAfter(state: string, firstId: number, after: number): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/d1/writer.ts", state, String(firstId)], { stdio: ["ignore", "pipe", "pipe"] });
  let reported = 0;
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line);
        if (match) reported = Number(match[1]);
      }
      if (reported >= firstId + after - 1) {
        child.kill("SIGKILL"); // mid-write, most likely: the writer starts the next write at once
        resolve();
      }
    });
    child.on("exit", () => reject(new Error(`the writer exited before ${after} commits: ${stderr}`)));
  });
  await exited;
  return reported;
}

describe("D1: a process killed mid-write loses no committed row", function () {
  it("three kills at different moments: the file opens, with every reported row", async function () {
    const state = mkdtempSync(path.join(tmpdir(), "reference-d1-kill-"));
    try {
      // The first run creates the table; later runs keep inserting with fresh ids.
      const setup = await D1Engine.open({ file: databaseFile(DATABASE, { persistTo: state }) });
      setup.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT)");
      setup.close();
      for (const [run, after] of [5, 23, 41].entries()) {
        const firstId = 1000 * (run + 1);
        const reported = await killWriterAfter(state, firstId, after);
        const engine = await D1Engine.open({ file: databaseFile(DATABASE, { persistTo: state }) });
        const ids = new Set(engine.select(`SELECT id FROM rows WHERE id >= ${firstId} AND id < ${firstId + 1000}`).map((row) => Number(row.id)));
        engine.close();
        for (let id = firstId; id <= reported; id++) expect(ids.has(id), `row ${id} was reported committed`).to.equal(true);
      }
      // No temporary file is left standing in for the database.
      expect(readdirSync(path.join(state, "d1")).filter((name) => name.endsWith(".sqlite"))).to.deep.equal(["durability.sqlite"]);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it("a change another process makes to the file (migrations while a server runs) is read, not overwritten", async function () {
    const state = mkdtempSync(path.join(tmpdir(), "reference-d1-shared-"));
    const worker = `export default { async fetch(request, env) {
      const sql = new URL(request.url).searchParams.get("sql");
      return Response.json(await env.DB.prepare(sql).raw());
    } };`;
    const scenario = await startScenario(
      [{ name: "w", main: "index.js", modules: { "index.js": worker }, compatibilityDate: "2024-04-03", compatibilityFlags: [], vars: {}, services: [], d1Databases: [DATABASE] }],
      { d1Storage: { persistTo: state } },
    );
    const query = async (sql: string) => (await scenario.fetch("w", new Request(`http://w/?sql=${encodeURIComponent(sql)}`))).json();
    try {
      expect(await query("CREATE TABLE mine (x)")).to.deep.equal([]);
      expect(await query("INSERT INTO mine VALUES (1) RETURNING x")).to.deep.equal([[1]]);
      // Another process (here: another engine on the same file) applies a migration.
      const other = await D1Engine.open({ file: databaseFile(DATABASE, { persistTo: state }) });
      other.execute("CREATE TABLE theirs (y); INSERT INTO theirs VALUES (2);");
      other.close();
      expect(await query("SELECT y FROM theirs")).to.deep.equal([[2]]);
      expect(await query("INSERT INTO mine VALUES (3) RETURNING x")).to.deep.equal([[3]]);
      const after = await D1Engine.open({ file: databaseFile(DATABASE, { persistTo: state }) });
      expect(after.select("SELECT (SELECT count(*) FROM mine) AS mine, (SELECT count(*) FROM theirs) AS theirs")).to.deep.equal([{ mine: 2, theirs: 1 }]);
      after.close();
    } finally {
      await scenario.dispose();
      rmSync(state, { recursive: true, force: true });
    }
  });
});
