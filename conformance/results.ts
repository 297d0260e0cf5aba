/**
 * What a run of the suite produces, test by test: the types the runner fills in and the reports,
 * the CLI and the expectations read. Types only, in a module of their own so that none of those
 * readers has to import the runner.
 */
import type { RuntimeInfo } from "./contract.ts";
import type { ExpectedFailure } from "./expectations.ts";
import type { Outcome } from "./outcomes.ts";
import type { PropertyOutcome } from "./property.ts";

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
  property?: PropertyOutcome;
}

export interface RunResult {
  runtime: RuntimeInfo;
  startedAt: string;
  durationMs: number;
  tests: TestResult[];
}
