/**
 * What a run of the suite produces, test by test: the types the runner fills in and the reports,
 * the CLI and the expectations read. Types only, in a module of their own so that none of those
 * readers has to import the runner.
 */
import type { RuntimeInfo } from "../contract.ts";
import type { ExpectedFailure } from "./expectations.ts";
import type { Outcome } from "./outcomes.ts";
import type { FailedCheck, PropertyOutcome } from "./property.ts";
import type { Difference } from "./checks.ts";

export interface TestResult {
  id: string;
  title: string;
  chapter: string;
  requirements: string[];
  outcome: Outcome;
  durationMs: number;
  numRuns: number;
  seed: number;
  message?: string;
  path?: string;
  counterexample?: string;
  replay?: string;
  expectation?: ExpectedFailure;
  /** What the probe reported for the counterexample, rendered by the harness. */
  observed?: string;
  /** Path of the repro bundle, when one was written. */
  repro?: string;
  /** The full label of the reported failure's check: `<test id> › <check>`. */
  label?: string;
  /** The reported failure's check label (without the test id). */
  check?: string;
  /**
   * Every check that failed in this run (the reported one first), each with the requirements it is
   * attributed to and its first failure's message; `expected` says whether the entry names it.
   */
  failedChecks?: (FailedCheck & { expected: boolean })[];
  /** Requirements this result's failure is attributed to (a subset of `requirements`). */
  failingRequirements?: string[];
  /** For a failed comparison: where the values first differ, both in full. */
  difference?: Difference;
  property?: PropertyOutcome;
}

export interface RunResult {
  runtime: RuntimeInfo;
  startedAt: string;
  durationMs: number;
  tests: TestResult[];
}
