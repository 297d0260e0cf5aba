/**
 * Splitting a run across machines (or cores) and putting it back together.
 *
 * `--shard=i/n` runs a deterministic share of the selected tests: every test goes to exactly one
 * of the n shards, decided by its id and, when there is one, by the durations a previous run
 * recorded in its timings.json (longest first, each to the least loaded shard), so shards take
 * about equally long. Every shard must see the same durations file, or none (timings.json is a run
 * artefact, never committed: in CI, keep one from an earlier run or let the shards split by
 * count), or the shares overlap; `merge` refuses shards that do not add up to the selected tests
 * exactly once.
 *
 * `merge <dir>…` reads each shard's results.json (and timings.json) and writes the results one unsharded run with
 * the same seed would have written: the tests in suite order, totals and the requirement table
 * recomputed from the spec, repro bundles gathered under the merged folder.
 */
import { cpSync, existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Requirement } from "../../spec/index.ts";
import type { ConformanceTest } from "./define.ts";
import { buildResults, mergeTimings, RESULTS_SCHEMA_VERSION, type ResultsFile, type TimingsFile } from "../report/files.ts";
import type { TestResult } from "./runner.ts";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** A shard's results.json says which share it ran. */
export type ShardResultsFile = ResultsFile & { shard?: Shard };

export class ShardError extends Error {}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new ShardError(`--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/4), got "${text}"`);
  return { index, count };
}

/**
 * Test durations (ms) recorded by a previous run, or undefined when there are none. `file` is a
 * run's timings.json, or its results.json: results.json no longer carries the wall clock, so the
 * timings.json beside it is read (an older results.json with durations in it still works).
 */
export function loadDurations(file: string): Map<string, number> | undefined {
  const files = basename(file) === "timings.json" ? [file] : [file, join(dirname(file), "timings.json")];
  for (const f of files) {
    const durations = readDurations(f);
    if (durations) return durations;
  }
  return undefined;
}

function readDurations(file: string): Map<string, number> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { tests?: unknown };
    // results.json: tests is a list of { id, durationMs? }; timings.json: an object id → ms.
    const entries: [unknown, unknown][] = Array.isArray(parsed.tests)
      ? parsed.tests.map((t: { id?: unknown; durationMs?: unknown } | null) => [t?.id, t?.durationMs])
      : typeof parsed.tests === "object" && parsed.tests !== null
        ? Object.entries(parsed.tests)
        : [];
    const durations = new Map<string, number>();
    for (const [id, ms] of entries) if (typeof id === "string" && typeof ms === "number" && Number.isFinite(ms)) durations.set(id, Math.max(0, ms));
    return durations.size ? durations : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which shard (0-based) each test goes to. Longest-processing-time-first: tests sorted by
 * recorded duration (unknown ones count as the mean of the known; ties by id), each placed on the
 * least loaded shard (ties: the lowest). Without durations every test weighs the same, which
 * deals the tests out round-robin in id order.
 */
export function assignShards(ids: readonly string[], count: number, durations?: ReadonlyMap<string, number>): Map<string, number> {
  const known = ids.map((id) => durations?.get(id)).filter((d): d is number => d !== undefined);
  const fallback = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  // Whole milliseconds (at least 1), so the plan does not hang on float sums.
  const weight = (id: string) => Math.max(1, Math.round(durations?.get(id) ?? fallback));
  const order = [...ids].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const assignment = new Map<string, number>();
  for (const id of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += weight(id);
    assignment.set(id, best);
  }
  return assignment;
}

/** The tests of one shard, in suite order. */
export function shardTests<T extends Pick<ConformanceTest, "id">>(tests: readonly T[], shard: Shard, durations?: ReadonlyMap<string, number>): T[] {
  const assignment = assignShards(
    tests.map((t) => t.id),
    shard.count,
    durations,
  );
  return tests.filter((t) => assignment.get(t.id) === shard.index - 1);
}

export function readShardResults(dir: string): ShardResultsFile {
  const file = join(dir, "results.json");
  if (!existsSync(file)) throw new ShardError(`merge: ${file} does not exist (is ${dir} a shard's report folder?)`);
  let parsed: ShardResultsFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ShardError(`merge: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed?.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ShardError(`merge: ${file} has schemaVersion ${JSON.stringify(parsed?.schemaVersion)}, expected ${RESULTS_SCHEMA_VERSION}`);
  }
  // The wall clock (start, durations) is in timings.json beside it, when the run wrote one.
  const timings = join(dir, "timings.json");
  if (existsSync(timings)) {
    try {
      return { ...mergeTimings(parsed, JSON.parse(readFileSync(timings, "utf8")) as TimingsFile), ...(parsed.shard && { shard: parsed.shard }) };
    } catch (error) {
      throw new ShardError(`merge: ${timings} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return parsed;
}

/**
 * One results file from the shards' files. `tests` is the suite's full list (in suite order);
 * the shards must have run the same adapter, profile, seed, run count and --grep, and together
 * every test that --grep selects exactly once.
 */
export function mergeShardResults(
  shards: readonly { dir: string; results: ShardResultsFile }[],
  tests: readonly Pick<ConformanceTest, "id">[],
  spec: Requirement[],
): ResultsFile {
  if (shards.length === 0) throw new ShardError("merge: name at least one shard folder");
  const first = shards[0]!.results;
  const same = (what: string, value: (r: ShardResultsFile) => unknown) => {
    for (const { dir, results } of shards) {
      if (JSON.stringify(value(results)) !== JSON.stringify(value(first))) {
        throw new ShardError(`merge: ${dir} ran with ${what} ${JSON.stringify(value(results))}, but ${shards[0]!.dir} with ${JSON.stringify(value(first))}; every shard must use the same ${what}`);
      }
    }
  };
  same("adapter", (r) => r.adapter.name);
  same("profile", (r) => r.profile.name);
  same("seed", (r) => r.seed);
  same("run count (--runs)", (r) => r.numRuns);
  same("--grep", (r) => r.grep);
  same("shard count", (r) => r.shard?.count ?? 1);

  const grep = first.grep !== null ? new RegExp(first.grep) : undefined;
  const selected = tests.filter((t) => !grep || grep.test(t.id)).map((t) => t.id);
  const byId = new Map<string, { test: ResultsFile["tests"][number]; dir: string }>();
  for (const { dir, results } of shards) {
    for (const test of results.tests) {
      const seen = byId.get(test.id);
      if (seen) throw new ShardError(`merge: test ${test.id} ran in both ${seen.dir} and ${dir}; did the shards see different durations files?`);
      byId.set(test.id, { test, dir });
    }
  }
  const missing = selected.filter((id) => !byId.has(id));
  if (missing.length) throw new ShardError(`merge: no shard ran ${missing.join(", ")} (missing shards, or shards planned from different durations files)`);
  const unknown = [...byId.keys()].filter((id) => !selected.includes(id));
  if (unknown.length) throw new ShardError(`merge: the shards ran tests this suite does not select: ${unknown.join(", ")}`);

  const merged = selected.map((id) => byId.get(id)!.test) as TestResult[];
  // The wall clock, when the shards' timings are known (readShardResults reads them).
  const started = shards.map((s) => s.results.startedAt).filter((t): t is string => t !== undefined).sort()[0];
  // Shards run side by side: the merged run took as long as its longest shard.
  const durations = shards.map((s) => s.results.durationMs).filter((ms): ms is number => ms !== undefined);
  const durationMs = durations.length === shards.length ? Math.max(...durations) : undefined;
  const results = buildResults(
    {
      runtime: { name: first.adapter.runtime, version: first.adapter.version, ...(first.adapter.details && { details: first.adapter.details }) },
      startedAt: started ?? "",
      durationMs: durationMs ?? 0,
      tests: merged,
    },
    {
      adapterName: first.adapter.name,
      adapterSpec: first.adapter.spec,
      profile: { ...first.profile, description: "" },
      seed: first.seed,
      ...(first.numRuns !== null && { numRuns: first.numRuns }),
      ...(first.grep !== null && { grep: first.grep }),
    },
    spec,
  );
  if (started === undefined) delete results.startedAt;
  if (durationMs === undefined) delete results.durationMs;
  return results;
}

/** Copies the shards' repro bundles under `outDir/repro` and points the merged results at them. */
export function gatherReproBundles(shards: readonly { dir: string }[], merged: ResultsFile, outDir: string): void {
  for (const test of merged.tests) {
    if (!test.repro) continue;
    const from = resolve(test.repro);
    const shard = shards.find((s) => !relative(resolve(s.dir), from).startsWith(".."));
    if (!shard || !existsSync(from)) continue;
    const to = join(outDir, relative(resolve(shard.dir), from));
    if (resolve(to) !== from) cpSync(from, to, { recursive: true });
    // Relative to the working directory, as the CLI writes repro paths.
    test.repro = relative(process.cwd(), to);
  }
}
