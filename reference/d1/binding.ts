/**
 * The D1 binding a worker sees: `D1Database` and `D1PreparedStatement`, defined inside the
 * worker's own realm (as `cloudflare:workers` is), so every result, array, promise and error the
 * worker gets is made by its own constructors, and the binding can be held anywhere a worker
 * holds an object (a private field of an RpcTarget included).
 *
 * The realm side checks and converts parameters and shapes results; the host side (`engine.ts`)
 * runs SQL. They talk through one function taking and returning JSON text, so nothing of the
 * host's realm leaks into the worker. Shapes and messages follow workerd's D1 as Miniflare runs it
 * (checked side by side in test/reference/d1-shapes.test.ts).
 */
import type { WorkerRealm } from "../loading/realm.ts";
import { D1Failure, type D1Engine, type SqlQuery } from "./engine.ts";

const D1_BINDING_SOURCE = `((call, bindingName) => {
  "use strict";
  const fail = (prefix, detail) => new Error(prefix + ": " + detail, { cause: new Error(detail) });
  const request = (op, payload) => {
    const answer = JSON.parse(call(op, JSON.stringify(payload)));
    if (answer.error) throw fail(answer.error.prefix, answer.error.detail);
    return answer.ok;
  };
  // What D1 accepts as a parameter; booleans become 1/0, bytes a BLOB.
  const toParam = (value) => {
    if (value === null || typeof value === "string") return value;
    if (typeof value === "number") return value;
    if (typeof value === "boolean") return value ? 1 : 0;
    // Bytes travel as an array of byte values, as D1 keeps them in \`params\`.
    if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) return Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    throw fail("D1_TYPE_ERROR", "Type '" + typeof value + "' not supported for value '" + String(value) + "'");
  };
  const toResult = (outcome) => ({
    success: true,
    meta: outcome.meta,
    results: outcome.rows.map((row) => rowObject(outcome.columns, row)),
  });
  const rowObject = (columns, row) => {
    const object = {};
    columns.forEach((column, index) => { object[column] = row[index]; });
    return object;
  };
  const queryOf = (statement) => {
    if (!(statement instanceof D1PreparedStatement)) throw new TypeError("D1 batch() takes an array of statements made by prepare()");
    return statement.toQuery();
  };

  class D1PreparedStatement {
    #database;
    constructor(database, statement, params = []) {
      this.#database = database;
      this.statement = statement;
      this.params = params;
    }
    bind(...values) {
      return new D1PreparedStatement(this.#database, this.statement, values.map(toParam));
    }
    toQuery() {
      return { sql: this.statement, params: this.params };
    }
    async first(column) {
      const [outcome] = request("query", [this.toQuery()]);
      const row = outcome.rows[0];
      if (row === undefined) return null; // no row: null, whether or not the column exists
      if (column === undefined) return rowObject(outcome.columns, row);
      if (!outcome.columns.includes(column)) throw new Error("D1_COLUMN_NOTFOUND: Column not found (" + column + ")", { cause: new Error("Column not found") });
      return row[outcome.columns.indexOf(column)];
    }
    async run() {
      return toResult(request("query", [this.toQuery()])[0]);
    }
    async all() {
      return toResult(request("query", [this.toQuery()])[0]);
    }
    async raw(options) {
      const [outcome] = request("query", [this.toQuery()]);
      return options?.columnNames ? [outcome.columns, ...outcome.rows] : outcome.rows;
    }
  }
  Object.defineProperty(D1PreparedStatement.prototype, "toQuery", { enumerable: false });

  class D1Database {
    prepare(query) {
      return new D1PreparedStatement(this, query);
    }
    async batch(statements) {
      return request("query", statements.map(queryOf)).map(toResult);
    }
    async exec(query) {
      return request("exec", query);
    }
    withSession() {
      const database = this;
      return { prepare: (query) => database.prepare(query), batch: (statements) => database.batch(statements), getBookmark: () => null };
    }
    async dump() {
      return new Uint8Array(request("dump", null)).buffer;
    }
  }
  return new D1Database();
})`;

/** The `env.<binding>` object for one D1 database, made in `realm`, backed by `engine`. */
export function createD1Binding(realm: WorkerRealm, engine: D1Engine, binding: string): object {
  const define = realm.evaluate(D1_BINDING_SOURCE, `reference:d1 ${binding}`) as (call: (op: string, payload: string) => string, name: string) => object;
  return define((op, payload) => answer(engine, op, JSON.parse(payload)), binding);
}

function answer(engine: D1Engine, op: string, payload: unknown): string {
  try {
    return JSON.stringify({ ok: perform(engine, op, payload) });
  } catch (error) {
    if (error instanceof D1Failure) return JSON.stringify({ error: { prefix: error.prefix, detail: error.detail } });
    return JSON.stringify({ error: { prefix: "D1_ERROR", detail: error instanceof Error ? error.message : String(error) } });
  }
}

function perform(engine: D1Engine, op: string, payload: unknown): unknown {
  switch (op) {
    case "query": {
      const queries = (payload as SqlQuery[]).map((query) => ({ sql: query.sql, params: query.params.map(fromWire) }));
      // Blank SQL is refused before SQLite sees it; SQL of comments only, by SQLite (engine.ts).
      if (queries.length === 0 || queries.some((query) => String(query.sql).trim() === "")) throw new D1Failure("D1_ERROR", "No SQL statements detected.");
      return engine.transaction(queries).map((outcome) => ({ ...outcome, rows: outcome.rows.map((row) => row.map(toWire)) }));
    }
    case "exec":
      return execLines(engine, String(payload));
    case "dump":
      return Array.from(engine.serialize());
    default:
      throw new Error(`unknown D1 operation ${op}`);
  }
}

/** `exec()`: one statement per line, each committed on its own, as D1 runs it. */
function execLines(engine: D1Engine, sql: string): { count: number; duration: number } {
  const started = performance.now();
  const lines = sql.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  if (lines.length === 0) throw new D1Failure("D1_EXEC_ERROR", "Error in line 1: : No SQL statements detected.");
  lines.forEach((line, index) => {
    try {
      engine.execute(line);
    } catch (error) {
      const detail = error instanceof D1Failure ? error.detail : String(error);
      throw new D1Failure("D1_EXEC_ERROR", `Error in line ${index + 1}: ${line}: ${detail}`);
    }
  });
  return { count: lines.length, duration: performance.now() - started };
}

/** Parameters arrive as JSON: a BLOB as an array of byte values. */
function fromWire(value: unknown): unknown {
  return Array.isArray(value) ? Uint8Array.from(value as number[]) : value;
}

/** Column values leave as JSON: a BLOB as an array of byte values, as D1 returns it. */
function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (typeof value === "bigint") return Number(value);
  return value;
}
