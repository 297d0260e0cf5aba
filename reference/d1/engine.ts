/**
 * One D1 database as the reference keeps it: SQLite compiled to WebAssembly (sql.js), in memory,
 * written to a single file after every call that changed it.
 *
 * The engine speaks plain data only (SQL text, parameters, rows as arrays), so the binding code
 * inside a worker's realm (`binding.ts`) can build every value the worker sees with that realm's
 * own constructors. Durability: the whole database is written to a temporary file, fsynced, and
 * renamed over the old one, so a process killed at any moment leaves either the previous or the
 * new database on disk, never a torn one; a call resolves only after its write is on disk. Before
 * each use the file's identity is checked, so a change another process made (migrations applied
 * while a server runs) is read rather than overwritten.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);

/** The parts of sql.js the engine uses. */
interface SqlJsStatement {
  bind(values: unknown[]): boolean;
  step(): boolean;
  get(): unknown[];
  getColumnNames(): string[];
  getSQL(): string;
  free(): boolean;
}
interface SqlJsDatabase {
  db: number;
  iterateStatements(sql: string): Iterable<SqlJsStatement>;
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
  export(): Uint8Array;
  close(): void;
}
interface SqlJs {
  Database: new (data?: Uint8Array) => SqlJsDatabase;
  _sqlite3_extended_errcode(db: number): number;
  _sqlite3_changes(db: number): number;
  _sqlite3_sql(statement: number): number;
  _sqlite3_bind_double(statement: number, index: number, value: number): number;
  UTF8ToString(pointer: number): string;
}

let sqlJs: Promise<SqlJs> | undefined;
/** sql.js compiles its WebAssembly once per process. */
export function loadSqlJs(): Promise<SqlJs> {
  sqlJs ??= (require("sql.js") as (options?: object) => Promise<SqlJs>)();
  return sqlJs;
}

/** One statement to run: its SQL and its already-checked positional parameters. */
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/** What one query produced, before the binding shapes it. */
export interface QueryOutcome {
  columns: string[];
  rows: unknown[][];
  meta: D1Meta;
}

export interface D1Meta {
  served_by: string;
  duration: number;
  changes: number;
  last_row_id: number;
  changed_db: boolean;
  size_after: number;
  rows_read: number;
  rows_written: number;
}

/** A failure as D1 reports it: `D1_ERROR: <cause>`; the cause's message is the part after the prefix. */
export class D1Failure extends Error {
  readonly prefix: string;
  readonly detail: string;
  constructor(prefix: string, detail: string) {
    super(`${prefix}: ${detail}`);
    this.prefix = prefix;
    this.detail = detail;
  }
}

/** SQLite's result codes by number, for the `: SQLITE_CONSTRAINT (extended: …)` suffix D1 writes. */
const PRIMARY_CODES: Record<number, string> = {
  1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED",
  7: "SQLITE_NOMEM", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR", 11: "SQLITE_CORRUPT",
  12: "SQLITE_NOTFOUND", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 15: "SQLITE_PROTOCOL", 16: "SQLITE_EMPTY",
  17: "SQLITE_SCHEMA", 18: "SQLITE_TOOBIG", 19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE",
  22: "SQLITE_NOLFS", 23: "SQLITE_AUTH", 24: "SQLITE_FORMAT", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB",
};
const EXTENDED_CODES: Record<number, string> = {
  275: "SQLITE_CONSTRAINT_CHECK", 531: "SQLITE_CONSTRAINT_COMMITHOOK", 787: "SQLITE_CONSTRAINT_FOREIGNKEY",
  1043: "SQLITE_CONSTRAINT_FUNCTION", 1299: "SQLITE_CONSTRAINT_NOTNULL", 1555: "SQLITE_CONSTRAINT_PRIMARYKEY",
  1811: "SQLITE_CONSTRAINT_TRIGGER", 2067: "SQLITE_CONSTRAINT_UNIQUE", 2323: "SQLITE_CONSTRAINT_VTAB",
  2579: "SQLITE_CONSTRAINT_ROWID", 3091: "SQLITE_CONSTRAINT_DATATYPE", 257: "SQLITE_ERROR_MISSING_COLLSEQ",
  513: "SQLITE_ERROR_RETRY", 769: "SQLITE_ERROR_SNAPSHOT",
};

let handleField: string | undefined;

const WRONG_PARAMETER_COUNT = "Wrong number of parameter bindings for SQL query.";

export interface D1EngineOptions {
  /** The database file; undefined keeps the database in memory only. */
  file?: string;
  /** `meta.served_by`. */
  servedBy?: string;
}

export class D1Engine {
  readonly file: string | undefined;
  readonly #sql: SqlJs;
  #db: SqlJsDatabase;
  #lastRowId = 0;
  readonly #servedBy: string;

  private constructor(sql: SqlJs, db: SqlJsDatabase, options: D1EngineOptions) {
    this.#sql = sql;
    this.#db = db;
    this.file = options.file;
    this.#servedBy = options.servedBy ?? "reference.db";
    this.#configure();
    this.#diskStamp = this.#stampOnDisk();
  }

  /** Identity of the file as last read or written: another process replacing it changes it. */
  #diskStamp: string | undefined;

  #stampOnDisk(): string | undefined {
    if (this.file === undefined) return undefined;
    const info = statSync(this.file, { throwIfNoEntry: false });
    return info === undefined ? undefined : `${info.ino}:${info.size}:${info.mtimeMs}`;
  }

  /**
   * Another process (`d1 migrations apply` while a server runs) may have replaced the file: read it
   * again before using the database, so this process neither misses nor overwrites that change.
   */
  #refresh(): void {
    const stamp = this.#stampOnDisk();
    if (stamp === this.#diskStamp || stamp === undefined) return;
    this.#db.close();
    this.#db = new this.#sql.Database(readFileSync(this.file!));
    this.#configure();
    this.#diskStamp = stamp;
  }

  /** Open (or create) a database: from its file when it has one and the file exists. */
  static async open(options: D1EngineOptions = {}): Promise<D1Engine> {
    const sql = await loadSqlJs();
    const bytes = options.file !== undefined && existsSync(options.file) ? readFileSync(options.file) : undefined;
    return new D1Engine(sql, new sql.Database(bytes), options);
  }

  /**
   * Run queries as one transaction: all of them take effect, or (on the first failure, thrown as
   * a D1Failure) none do. Each query's SQL may hold several statements; the last one's rows count.
   */
  transaction(queries: SqlQuery[]): QueryOutcome[] {
    this.#refresh();
    const before = this.#changeMarks();
    this.#db.exec("BEGIN");
    const outcomes: QueryOutcome[] = [];
    try {
      for (const query of queries) outcomes.push(this.#runQuery(query));
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
    if (this.#changed(before)) this.#persist();
    return outcomes;
  }

  /** Run SQL outside any explicit transaction (migrations, exec): each statement commits on its own. */
  execute(sql: string): number {
    this.#refresh();
    const before = this.#changeMarks();
    let count = 0;
    try {
      for (const statement of this.#db.iterateStatements(sql)) {
        try {
          while (statement.step());
          count++;
        } finally {
          statement.free();
        }
      }
    } catch (error) {
      throw this.#failure(error);
    } finally {
      if (this.#changed(before)) this.#persist();
    }
    return count;
  }

  /** Rows of a read-only query, for tools (migrations list, tests). */
  select(sql: string): Record<string, unknown>[] {
    this.#refresh();
    const [result] = this.#db.exec(sql);
    if (result === undefined) return [];
    return result.values.map((row) => Object.fromEntries(result.columns.map((column, index) => [column, row[index]])));
  }

  /** The database file's bytes (what `dump()` returns). */
  serialize(): Uint8Array {
    this.#refresh();
    return this.#export();
  }

  #export(): Uint8Array {
    const bytes = this.#db.export();
    this.#configure(); // export() reopens the connection: pragmas are back to their defaults
    return bytes;
  }

  close(): void {
    this.#db.close();
  }

  #configure(): void {
    this.#db.exec("PRAGMA foreign_keys = ON"); // as D1 has it
  }

  #runQuery(query: SqlQuery): QueryOutcome {
    const started = performance.now();
    const totalBefore = this.#scalar("SELECT total_changes()");
    let columns: string[] = [];
    let rows: unknown[][] = [];
    let count = 0;
    try {
      // The iterator prepares one statement at a time and frees each when it moves on.
      const statements = this.#db.iterateStatements(query.sql) as Iterable<SqlJsStatement> & { getRemainingSQL(): string };
      for (const statement of statements) {
        count++;
        // Parameters go to the last statement, the one whose rows are returned.
        const last = isOnlyComments(statements.getRemainingSQL());
        if (last) {
          bindExactly(statement, query.params);
          this.#numbersAsReal(statement, query.params);
        }
        const stepped: unknown[][] = [];
        while (statement.step()) stepped.push(statement.get());
        if (last) {
          columns = statement.getColumnNames();
          rows = stepped;
        }
      }
      if (count === 0) throw new D1Failure("D1_ERROR", "SQL code did not contain a statement.");
    } catch (error) {
      throw this.#failure(error);
    }
    // Rows the statement itself changed (sqlite3_changes), not those of cascades and triggers, as D1 counts.
    const changes = this.#scalar("SELECT total_changes()") > totalBefore ? this.#sql._sqlite3_changes(this.#db.db) : 0;
    const rowId = this.#scalar("SELECT last_insert_rowid()");
    if (rowId !== 0) this.#lastRowId = rowId;
    const changedDb = changes > 0 || /^\s*(create|drop|alter)\b/i.test(lastStatementText(query.sql));
    return {
      columns,
      rows,
      meta: {
        served_by: this.#servedBy,
        duration: performance.now() - started,
        changes,
        last_row_id: this.#lastRowId,
        changed_db: changedDb,
        size_after: this.#scalar("PRAGMA page_count") * this.#scalar("PRAGMA page_size"),
        // SQLite does not count rows read for us; the reference reports rows returned (an approximation).
        rows_read: rows.length,
        rows_written: changes,
      },
    };
  }

  /**
   * D1 binds every JavaScript number as a REAL (so `?` with 1 into a TEXT column stores "1.0");
   * sql.js binds whole numbers as INTEGER. The numbers are bound again here, as doubles, through
   * SQLite's own sqlite3_bind_double on the statement's handle.
   */
  #numbersAsReal(statement: SqlJsStatement, params: unknown[]): void {
    if (!params.some((param) => typeof param === "number")) return;
    const handle = this.#handleOf(statement);
    params.forEach((param, index) => {
      if (typeof param === "number") this.#sql._sqlite3_bind_double(handle, index + 1, param);
    });
  }

  /** sql.js keeps a statement's SQLite handle in a minified field: found once, as the one whose SQL is the statement's. */
  #handleOf(statement: SqlJsStatement): number {
    handleField ??= Object.keys(statement).find((key) => {
      const value = (statement as unknown as Record<string, unknown>)[key];
      return typeof value === "number" && value > 0 && this.#sql.UTF8ToString(this.#sql._sqlite3_sql(value)) === statement.getSQL();
    });
    if (handleField === undefined) throw new Error("reference D1: cannot find sql.js's statement handle");
    return (statement as unknown as Record<string, number>)[handleField]!;
  }

  #scalar(sql: string): number {
    return Number(this.#db.exec(sql)[0]?.values[0]?.[0] ?? 0);
  }

  /** total_changes() and the schema version: if either moved, the file must be rewritten. */
  #changeMarks(): [number, number] {
    return [this.#scalar("SELECT total_changes()"), this.#scalar("PRAGMA schema_version")];
  }

  #changed([changes, schema]: [number, number]): boolean {
    return this.#scalar("SELECT total_changes()") !== changes || this.#scalar("PRAGMA schema_version") !== schema;
  }

  /** sql.js throws plain Errors with SQLite's message; D1 adds the result code names. */
  #failure(error: unknown): D1Failure {
    if (error instanceof D1Failure) return error;
    const message = error instanceof Error ? error.message : String(error);
    const code = this.#sql._sqlite3_extended_errcode(this.#db.db);
    const primary = PRIMARY_CODES[code & 0xff] ?? `SQLITE_ERROR`;
    const extended = code > 0xff ? EXTENDED_CODES[code] : undefined;
    return new D1Failure("D1_ERROR", `${withOffset(message)}: ${primary}${extended ? ` (extended: ${extended})` : ""}`);
  }

  /** Write the database beside its file, flush it, and move it into place (atomic on POSIX). */
  #persist(): void {
    if (this.file === undefined) return;
    const bytes = this.#export();
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, "w");
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
    this.#diskStamp = this.#stampOnDisk();
    const dir = openSync(path.dirname(this.file), "r");
    try {
      fsyncSync(dir); // the rename itself must survive a crash
    } finally {
      closeSync(dir);
    }
  }
}

/**
 * Bind exactly as many parameters as the statement has: binding one more than given must fail
 * (SQLITE_RANGE) and binding those given must succeed, else D1's "wrong number" error.
 */
function bindExactly(statement: SqlJsStatement, params: unknown[]): void {
  // sql.js does not report a null bound out of range: count with zeros in their place.
  const probe = params.map((param) => (param === null ? 0 : param));
  let tooFew = false;
  try {
    statement.bind([...probe, 0]);
    tooFew = true;
  } catch {
    // expected: no parameter slot beyond the ones given
  }
  if (tooFew) throw new D1Failure("D1_ERROR", WRONG_PARAMETER_COUNT);
  try {
    statement.bind(probe);
  } catch {
    throw new D1Failure("D1_ERROR", WRONG_PARAMETER_COUNT);
  }
  statement.bind(params);
}

/**
 * workerd's SQLite appends where a syntax error is ("at offset N"); sql.js cannot ask SQLite for
 * it, so the reference does not add it (a known difference in the message text).
 */
function withOffset(message: string): string {
  return message;
}

/** True when SQL text holds no further statement (only blanks, semicolons and comments). */
function isOnlyComments(sql: string): boolean {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").replace(/[;\s]/g, "") === "";
}

function lastStatementText(sql: string): string {
  const parts = sql.split(";").map((part) => part.trim()).filter((part) => part !== "");
  return parts[parts.length - 1] ?? "";
}
