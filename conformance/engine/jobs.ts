/**
 * `--jobs=n`: one run on n cores. The tests are split as `--shard` splits them; this process runs
 * the first share itself and starts n − 1 copies of the CLI (`--shard=i/n`, same seed, same
 * durations file) for the others. Their results come back as their JSON report, their progress
 * over IPC; what the caller gets is one run's tests in suite order, as if it had run them all.
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
import type { ResultsFile } from "../report/files.ts";
import type { RunResult, TestResult } from "./runner.ts";
import { gatherReproBundles, shardTests } from "./shard.ts";

/** Set in a job's environment: it then reports each finished test to its parent over IPC. */
export const JOB_ENV = "WORKERS_RPC_CONFORMANCE_JOB";

/** In a job started by `runInJobs`: tell the parent a test finished (for its progress lines). */
export function reportToParent(result: TestResult): void {
  if (!process.env[JOB_ENV] || !process.send) return;
  const { property: _property, ...plain } = result;
  process.send({ test: plain });
}

export interface JobsOptions {
  jobs: number;
  /** The selected tests, in suite order. */
  selected: readonly ConformanceTest<any>[];
  durations?: ReadonlyMap<string, number>;
  /** Where the run's report goes (the jobs' repro bundles are moved under it). */
  reportDir: string;
  /** The CLI arguments every job repeats (without --jobs, --shard, --report-dir, --reporter). */
  args: string[];
  /** Runs this process's share. */
  runShare(tests: readonly ConformanceTest<any>[]): Promise<RunResult>;
  /** Called for every test another job finished. */
  onTestEnd(result: TestResult): void;
}

export async function runInJobs(options: JobsOptions): Promise<RunResult> {
  const { jobs, selected } = options;
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const work = mkdtempSync(join(tmpdir(), "wrc-jobs-"));
  const children = new Set<ChildProcess>();
  try {
    const others = Array.from({ length: jobs - 1 }, (_, k) => startJob(k + 2, jobs, join(work, `job-${k + 2}`), options, children));
    const [mine, ...theirs] = await Promise.all([options.runShare(shardTests(selected, { index: 1, count: jobs }, options.durations)), ...others]);
    const byId = new Map<string, TestResult>();
    for (const t of mine!.tests) byId.set(t.id, t);
    for (const [k, results] of theirs.entries()) {
      // The job wrote its failures' repro bundles under its own folder: move them under ours.
      gatherReproBundles([{ dir: join(work, `job-${k + 2}`) }], results, options.reportDir);
      for (const t of results.tests) byId.set(t.id, t as TestResult);
    }
    const missing = selected.filter((t) => !byId.has(t.id)).map((t) => t.id);
    if (missing.length) throw new Error(`--jobs: no job reported ${missing.join(", ")}`);
    return {
      runtime: mine!.runtime,
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

function startJob(index: number, count: number, reportDir: string, options: JobsOptions, children: Set<ChildProcess>): Promise<ResultsFile> {
  const cli = fileURLToPath(new URL("../cli/conformance.ts", import.meta.url));
  // The CLI is TypeScript: a job needs tsx's loader, which this process may have registered
  // through tsx's API (the installed bin does) rather than on its command line.
  const loader = process.execArgv.some((a) => a.includes("tsx")) ? [] : ["--import", import.meta.resolve("tsx")];
  const args = [...process.execArgv, ...loader, cli, ...options.args, `--shard=${index}/${count}`, `--report-dir=${reportDir}`, "--reporter=json", "--jobs=1"];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe", "ipc"], env: { ...process.env, [JOB_ENV]: "1" } });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("message", (message: { test?: TestResult }) => {
      if (message.test) options.onTestEnd(message.test);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      children.delete(child);
      if (code !== 0 && code !== 1) return reject(new Error(`--jobs: job ${index}/${count} exited with status ${code}: ${stderr.trim().slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout) as ResultsFile);
      } catch (error) {
        reject(new Error(`--jobs: job ${index}/${count} printed no results (${(error as Error).message}): ${stderr.trim().slice(-2000)}`));
      }
    });
  });
}
