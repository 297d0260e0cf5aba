/**
 * Running the suite against one adapter: select tests, run each as a mocha test whose body is a
 * batched fast-check property, classify outcomes against the adapter's expectations, and hand
 * the results to the reporters. Nothing here knows which runtime is behind the adapter.
 *
 * Tests are checked one after another, but their scenarios are booted and observed ahead of time,
 * up to `parallel` tests at once (`Adapter.concurrentScenarios`, default 1): while one test is
 * checked, the next ones are already running on the adapter. A test that times out frees its slot.
 */
import Mocha from "mocha";
import type { Adapter, RuntimeInfo } from "../contract.ts";
import type { ConformanceTest } from "./define.ts";
import { expectationFor, expectsCheck, fullLabel, type ExpectedFailure, type Expectations } from "./expectations.ts";
import { type Outcome } from "./outcomes.ts";
import type { RunResult, TestResult } from "./results.ts";
import type { Profile } from "./profiles.ts";
import { messageOf, prepareObservations, runProperty, type FailedCheck, type PreparedObservations, type PropertyOutcome } from "./property.ts";
import type { Difference } from "./checks.ts";
import * as fc from "fast-check";

export type { RunResult, TestResult } from "./results.ts";

export interface RunOptions {
  adapter: Adapter;
  /** How the adapter was named on the command line (for replay commands). */
  adapterSpec: string;
  profile: Profile;
  tests: readonly ConformanceTest<any>[];
  expectations: Expectations;
  seed: number;
  path?: string;
  numRuns?: number;
  batchSize: number;
  concurrency: number;
  /** Tests whose scenarios may be booted at once (default: the adapter's `concurrentScenarios`, else 1). */
  parallel?: number;
  /** Per-test deadline in milliseconds. */
  deadlineMs: number;
  /** Per-probe deadline in milliseconds: a case whose probe takes longer is a timeout. */
  probeDeadlineMs?: number;
  /** Shrink counterexamples (default true). */
  shrink?: boolean;
  /** Extra CLI flags a replay command must repeat (e.g. a fault). */
  replayFlags?: string[];
  onTestEnd?: (result: TestResult) => void;
  /** The runtime, when the caller already asked the adapter (a run in pieces asks once). */
  runtime?: RuntimeInfo;
}

export function replayCommand(options: Pick<RunOptions, "adapterSpec" | "profile" | "replayFlags">, id: string, seed: number, path?: string): string {
  const parts = [
    "npm run conformance --",
    `--adapter=${options.adapterSpec}`,
    `--profile=${options.profile.name}`,
    `--grep='^${id}$'`,
    `--seed=${seed}`,
    ...(path ? [`--path=${path}`] : []),
    ...(options.replayFlags ?? []),
  ];
  return parts.join(" ");
}

/** What the adapter says it runs, or what went wrong asking it. */
export async function runtimeOf(adapter: Adapter): Promise<RuntimeInfo> {
  try {
    return await adapter.runtime();
  } catch (error) {
    return { name: adapter.name, version: `unknown (runtime() failed: ${messageOf(error)})` };
  }
}

export async function runSuite(options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const runtime = options.runtime ?? (await runtimeOf(options.adapter));

  const results = new Map<string, TestResult>();
  const numRunsOf = (test: ConformanceTest<any>) => options.numRuns ?? test.numRuns ?? 100;
  const ahead = new Lookahead(options.tests, options.parallel ?? options.adapter.concurrentScenarios ?? 1, (test) =>
    options.path === undefined ? prepareObservations(test, { ...options, numRuns: numRunsOf(test) }) : undefined,
  );
  const mocha = new Mocha({ timeout: options.deadlineMs, reporter: class Silent {} as any });
  const byChapter = new Map<string, Mocha.Suite>();

  for (const test of options.tests) {
    const chapter = test.id.split("/")[0]!;
    let suite = byChapter.get(chapter);
    if (!suite) {
      suite = Mocha.Suite.create(mocha.suite, chapter);
      byChapter.set(chapter, suite);
    }
    const mochaTest = new Mocha.Test(test.id, async () => {
      const numRuns = numRunsOf(test);
      const t = performance.now();
      const property = await runProperty(test, {
        adapter: options.adapter,
        profile: options.profile,
        seed: options.seed,
        path: options.path,
        numRuns,
        batchSize: options.batchSize,
        concurrency: options.concurrency,
        shrink: options.shrink,
        probeDeadlineMs: options.probeDeadlineMs,
        isExpectedCheck: (check, message) => {
          const expectation = expectationFor(options.expectations, test.id, options.profile.name);
          return expectation !== undefined && expectsCheck(expectation, test.id, check, message);
        },
      }, ahead.take(test));
      // Past the per-test deadline the test was already reported as a timeout ("test end" below):
      // a result that arrives later must not turn results.json into something the run did not print.
      if (results.has(test.id)) return;
      results.set(test.id, toResult(test, chapter, property, performance.now() - t, options));
      if (property.status !== "pass") throw new Error(property.message ?? property.status);
    });
    suite.addTest(mochaTest);
  }

  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const errors = new Map<Mocha.Runnable, any>();
    runner.on("fail", (runnable: Mocha.Runnable, error: any) => errors.set(runnable, error));
    runner.on("test end", (mochaTest: Mocha.Test) => {
      const test = options.tests.find((t) => t.id === mochaTest.title)!;
      ahead.release(test);
      let result = results.get(test.id);
      if (!result) {
        // The body never finished: mocha's deadline fired, or it threw outside the property.
        const error = errors.get(mochaTest);
        const timedOut = mochaTest.timedOut || error?.code === "ERR_MOCHA_TIMEOUT" || /Timeout of \d+ms exceeded/.test(error?.message ?? "");
        result = {
          id: test.id,
          title: test.title,
          chapter: mochaTest.parent?.title ?? "",
          requirements: test.requirements,
          outcome: timedOut ? "timeout" : "error",
          durationMs: mochaTest.duration ?? 0,
          numRuns: 0,
          seed: options.seed,
          message: timedOut ? `no result within the per-test deadline of ${options.deadlineMs} ms` : messageOf(error),
        };
        results.set(test.id, result);
      }
      options.onTestEnd?.(result);
    });
  });
  mocha.dispose();

  return {
    runtime,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    tests: options.tests.map((t) => results.get(t.id)!),
  };
}

/**
 * Prepares the tests' observations in suite order, at most `limit` at once. A slot is freed when a
 * preparation settles or when its test ends (a timed-out test must not hold a slot for good).
 */
class Lookahead {
  readonly #tests: readonly ConformanceTest<any>[];
  readonly #limit: number;
  readonly #prepare: (test: ConformanceTest<any>) => Promise<PreparedObservations> | undefined;
  readonly #started = new Map<ConformanceTest<any>, Promise<PreparedObservations> | undefined>();
  readonly #busy = new Set<ConformanceTest<any>>();
  #next = 0;

  constructor(tests: readonly ConformanceTest<any>[], limit: number, prepare: (test: ConformanceTest<any>) => Promise<PreparedObservations> | undefined) {
    this.#tests = tests;
    this.#limit = Math.max(1, limit);
    this.#prepare = prepare;
  }

  /** The test's preparation, started now if it was not yet. */
  take(test: ConformanceTest<any>): Promise<PreparedObservations> | undefined {
    if (!this.#started.has(test)) this.#start(test);
    const prepared = this.#started.get(test);
    this.#fill();
    return prepared;
  }

  release(test: ConformanceTest<any>): void {
    if (this.#busy.delete(test)) this.#fill();
  }

  #start(test: ConformanceTest<any>): void {
    const prepared = this.#prepare(test);
    this.#started.set(test, prepared);
    if (!prepared) return;
    this.#busy.add(test);
    prepared.then(
      () => this.release(test),
      () => this.release(test),
    );
  }

  #fill(): void {
    while (this.#busy.size < this.#limit && this.#next < this.#tests.length) {
      const test = this.#tests[this.#next++]!;
      if (!this.#started.has(test)) this.#start(test);
    }
  }
}

function toResult(test: ConformanceTest<any>, chapter: string, property: PropertyOutcome, durationMs: number, options: RunOptions): TestResult {
  const expectation = expectationFor(options.expectations, test.id, options.profile.name);
  const failedChecks = (property.failedChecks ?? []).map((f) => ({
    ...f,
    expected: expectation !== undefined && expectsCheck(expectation, test.id, f.check, f.check === property.check?.check ? property.message : f.message),
  }));
  const unexpected = failedChecks.filter((f) => !f.expected);
  let outcome: Outcome;
  if (property.status === "error") outcome = "error";
  else if (property.status === "timeout") outcome = expectation?.checks && expectsCheck(expectation, test.id, "the probe answers", undefined) ? "expectedFail" : "timeout";
  else if (property.status === "fail") outcome = expectation && unexpected.length === 0 ? "expectedFail" : "fail";
  else outcome = expectation && !expectation.inputDependent ? "unexpectedPass" : "pass";
  const result: TestResult = {
    id: test.id,
    title: test.title,
    chapter,
    requirements: test.requirements,
    outcome,
    durationMs: Math.round(durationMs),
    numRuns: property.numRuns,
    seed: property.seed,
    ...(expectation && { expectation }),
  };
  if (property.status === "fail" || property.status === "timeout") {
    const check = property.check?.check ?? (property.status === "timeout" ? "the probe answers" : undefined);
    let message = property.message ?? "";
    if (expectation && outcome !== "expectedFail") {
      const named = expectation.checks ? `its expectation names ${expectation.checks.map((c) => JSON.stringify(c)).join(", ")}` : `its expectation says the failure mentions ${JSON.stringify(expectation.observed)}`;
      message = `failed a check its expectation does not name (${unexpected.map((f) => JSON.stringify(f.check)).join(", ") || JSON.stringify(check)}; ${named}):\n${message}`;
    }
    const others = failedChecks.filter((f) => f.check !== check);
    if (others.length) message += `\n\nother checks that failed in this run: ${others.map((f) => `${JSON.stringify(f.check)}${f.expected ? " (expected)" : ""}`).join(", ")}`;
    result.message = message;
    if (check) {
      result.check = check;
      result.label = fullLabel(test.id, check);
    }
    if (failedChecks.length) result.failedChecks = failedChecks;
    result.failingRequirements = [...new Set([...(property.check?.requirements ?? test.requirements), ...failedChecks.flatMap((f) => f.requirements)])];
    if (property.difference) result.difference = property.difference;
    result.observed = property.observed;
    result.path = property.path;
    if (property.counterexample !== undefined || property.path !== undefined) result.counterexample = fc.stringify(property.counterexample);
    result.replay = replayCommand(options, test.id, property.seed, property.path);
    result.property = property;
  } else if (property.status === "error") {
    result.message = property.message;
  } else if (outcome === "unexpectedPass") {
    result.message = `expected to fail (${expectation!.reason}) but passed`;
  } else if (expectation?.inputDependent) {
    result.message = `passed: none of this run's cases showed the known input-dependent divergence (${expectation.reason})`;
  }
  return result;
}
