/**
 * `--jobs=n`: one run on n cores. This process and n − 1 copies of the CLI (same seed, same
 * options) take the selected tests from one queue, a few at a time, each taking more as soon as it
 * is free: the cost of a test is not known in advance (booting and probing its cases is most of
 * it, and differs a hundredfold between tests), so a split made up front leaves one process idle
 * while the other still works. A job's results come back as its JSON report, its progress over
 * IPC; what the caller gets is one run's tests in suite order, as if it had run them all. Which
 * process ran a test does not change its outcome: each property is run from the run's seed.
 *
 * Worth it for the in-process reference runtime, which runs on this process's one thread; a
 * runtime in its own processes (workerd) uses the cores already.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConformanceTest } from "./define.ts";
import type { RuntimeInfo } from "../contract.ts";
import type { ResultsFile } from "../report/files.ts";
import type { RunResult, TestResult } from "./runner.ts";
import { gatherReproBundles } from "./shard.ts";

/** Set in a job's environment: it takes its tests from its parent and reports each finished one over IPC. */
export const JOB_ENV = "WORKERS_RPC_CONFORMANCE_JOB";

/** Messages from a job to its parent. */
type FromJob = { ready: true } | { test: TestResult };
/** Messages from the parent to a job: the ids of the next tests to run, or none left. */
type ToJob = { run: string[] } | { done: true };

/** True in a job started by `runInJobs`. */
export function isJob(): boolean {
  return process.env[JOB_ENV] !== undefined && process.send !== undefined;
}

/** In a job started by `runInJobs`: tell the parent a test finished (for its progress lines). */
export function reportToParent(result: TestResult): void {
  if (!isJob()) return;
  const { property: _property, ...plain } = result;
  process.send!({ test: plain } satisfies FromJob);
}

/**
 * In a job: run the tests the parent hands out, as they come, until it says there are none left;
 * returns them as one run.
 */
export async function runForParent(
  selected: readonly ConformanceTest<any>[],
  runShare: (tests: readonly ConformanceTest<any>[]) => Promise<RunResult>,
  runtime: () => Promise<RuntimeInfo>,
): Promise<RunResult> {
  const byId = new Map(selected.map((t) => [t.id, t]));
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const tests: TestResult[] = [];
  let info: RuntimeInfo | undefined;
  const next = () =>
    new Promise<ToJob>((resolve) => {
      process.once("message", (message: ToJob) => resolve(message));
      process.send!({ ready: true } satisfies FromJob);
    });
  for (let message = await next(); "run" in message; message = await next()) {
    const share = message.run.map((id) => {
      const test = byId.get(id);
      if (!test) throw new Error(`--jobs: the parent asked for ${id}, which this job does not have (different --grep?)`);
      return test;
    });
    const run = await runShare(share);
    info ??= run.runtime;
    tests.push(...run.tests);
  }
  return { runtime: info ?? (await runtime()), startedAt, durationMs: Math.round(performance.now() - t0), tests };
}

export interface JobsOptions {
  jobs: number;
  /** The selected tests, in suite order. */
  selected: readonly ConformanceTest<any>[];
  /** Recorded durations (a previous run's timings.json): the longest tests are handed out first. */
  durations?: ReadonlyMap<string, number>;
  /** Tests handed out at once (the adapter's scenarios at once, so a job can boot ahead within them). */
  chunk: number;
  /** Where the run's report goes (the jobs' repro bundles are moved under it). */
  reportDir: string;
  /** The CLI arguments every job repeats (without --jobs, --shard, --report-dir, --reporter). */
  args: string[];
  /** Runs some tests in this process. */
  runShare(tests: readonly ConformanceTest<any>[]): Promise<RunResult>;
  runtime(): Promise<RuntimeInfo>;
  /** Called for every test another job finished. */
  onTestEnd(result: TestResult): void;
}

/** The order tests are handed out in: longest recorded first (unknown ones after, in suite order). */
export function queueOrder<T extends Pick<ConformanceTest, "id">>(selected: readonly T[], durations?: ReadonlyMap<string, number>): T[] {
  const rank = new Map(selected.map((t, i) => [t.id, i]));
  const ms = (t: T) => durations?.get(t.id) ?? -1;
  return [...selected].sort((a, b) => ms(b) - ms(a) || rank.get(a.id)! - rank.get(b.id)!);
}

export async function runInJobs(options: JobsOptions): Promise<RunResult> {
  const { jobs, selected } = options;
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const work = mkdtempSync(join(tmpdir(), "wrc-jobs-"));
  const children = new Set<ChildProcess>();
  const queue = queueOrder(selected, options.durations);
  const take = (): ConformanceTest<any>[] => queue.splice(0, Math.max(1, options.chunk));
  try {
    const mine = (async () => {
      const tests: TestResult[] = [];
      let runtime: RuntimeInfo | undefined;
      for (let share = take(); share.length; share = take()) {
        const run = await options.runShare(share);
        runtime ??= run.runtime;
        tests.push(...run.tests);
      }
      return { runtime: runtime ?? (await options.runtime()), tests };
    })();
    const others = Array.from({ length: jobs - 1 }, (_, k) => startJob(k + 2, join(work, `job-${k + 2}`), options, take, children));
    const [own, ...theirs] = await Promise.all([mine, ...others]);
    const byId = new Map<string, TestResult>();
    for (const t of own.tests) byId.set(t.id, t);
    for (const [k, results] of theirs.entries()) {
      // The job wrote its failures' repro bundles under its own folder: move them under ours.
      gatherReproBundles([{ dir: join(work, `job-${k + 2}`) }], results, options.reportDir);
      for (const t of results.tests) byId.set(t.id, t as TestResult);
    }
    const missing = selected.filter((t) => !byId.has(t.id)).map((t) => t.id);
    if (missing.length) throw new Error(`--jobs: no job reported ${missing.join(", ")}`);
    return {
      runtime: own.runtime,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      tests: selected.map((t) => byId.get(t.id)!),
    };
  } finally {
    // Only when something failed are jobs still running: they must not outlive the run.
    for (const child of children) child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

function startJob(index: number, reportDir: string, options: JobsOptions, take: () => ConformanceTest<any>[], children: Set<ChildProcess>): Promise<ResultsFile> {
  const cli = fileURLToPath(new URL("../cli/conformance.ts", import.meta.url));
  // The CLI is TypeScript: a job needs tsx's loader, which this process may have registered
  // through tsx's API (the installed bin does) rather than on its command line.
  const loader = process.execArgv.some((a) => a.includes("tsx")) ? [] : ["--import", import.meta.resolve("tsx")];
  const args = [...process.execArgv, ...loader, cli, ...options.args, `--report-dir=${reportDir}`, "--reporter=json", "--jobs=1"];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe", "ipc"], env: { ...process.env, [JOB_ENV]: String(index) } });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("message", (message: FromJob) => {
      if ("test" in message) options.onTestEnd(message.test);
      else if (message.ready) {
        const share = take();
        child.send((share.length ? { run: share.map((t) => t.id) } : { done: true }) satisfies ToJob);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      children.delete(child);
      if (code !== 0 && code !== 1) return reject(new Error(`--jobs: job ${index} exited with status ${code}: ${stderr.trim().slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout) as ResultsFile);
      } catch (error) {
        reject(new Error(`--jobs: job ${index} printed no results (${(error as Error).message}): ${stderr.trim().slice(-2000)}`));
      }
    });
  });
}
