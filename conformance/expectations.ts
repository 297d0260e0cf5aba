/**
 * Expected failures per adapter, kept outside the tests (like wpt metadata):
 * `conformance/expectations/<adapter>.json` lists the tests known to fail on a runtime, each with
 * the reason, the runtime version it was seen on, and the wrong observation it is expected to
 * show. If the wrong answer changes, the test fails again: an expectation pins one known bug, not
 * "anything goes".
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Outcome } from "./outcomes.ts";

export const EXPECTATIONS_SCHEMA_VERSION = 1;

export interface ExpectedFailure {
  /** Why it fails: the runtime's bug or design decision, in a sentence. Required. */
  reason: string;
  /** The runtime version it was seen on. */
  seenOn: string;
  /**
   * A substring the failure message must contain: the wrong observation expected. A list means
   * any of them (a shrunk counterexample may show one of a few wrong answers, depending on the seed).
   */
  observed?: string | string[];
  /** Profiles the failure is expected under; absent means every profile. */
  profiles?: string[];
  /**
   * The divergence shows only for some generated inputs (the reason says which, e.g. strings with
   * a lone surrogate): a run whose cases include none of them passes, and that pass is a `pass`,
   * not an `unexpectedPass`. A failure must still match `observed`.
   */
  inputDependent?: boolean;
}

export interface Expectations {
  file?: string;
  expectedFailures: Record<string, ExpectedFailure>;
}

export const EXPECTATIONS_DIR = new URL("./expectations/", import.meta.url).pathname;

export function expectationsFile(adapterName: string, dir = EXPECTATIONS_DIR): string {
  return join(dir, `${adapterName.replace(/[^A-Za-z0-9._+-]/g, "_")}.json`);
}

export function loadExpectations(adapterName: string, dir = EXPECTATIONS_DIR): Expectations {
  const file = expectationsFile(adapterName, dir);
  if (!existsSync(file)) return { expectedFailures: {} };
  return loadExpectationsFile(file);
}

export function loadExpectationsFile(file: string): Expectations {
  if (!existsSync(file)) throw new Error(`${file}: no such expectations file`);
  let parsed: any;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const entries = parsed?.expectedFailures;
  if (typeof entries !== "object" || entries === null) throw new Error(`${file}: expectedFailures: expected an object`);
  for (const [id, entry] of Object.entries<any>(entries)) {
    if (typeof entry?.reason !== "string" || !entry.reason.trim()) throw new Error(`${file}: expectedFailures["${id}"].reason: every expected failure needs a reason`);
    if (typeof entry?.seenOn !== "string" || !entry.seenOn.trim()) throw new Error(`${file}: expectedFailures["${id}"].seenOn: expected the runtime version it was seen on`);
    const observedOk = entry.observed === undefined || typeof entry.observed === "string" || (Array.isArray(entry.observed) && entry.observed.every((o: unknown) => typeof o === "string"));
    if (!observedOk) throw new Error(`${file}: expectedFailures["${id}"].observed: expected a string or a list of strings`);
    const profilesOk = entry.profiles === undefined || (Array.isArray(entry.profiles) && entry.profiles.every((p: unknown) => typeof p === "string"));
    if (!profilesOk) throw new Error(`${file}: expectedFailures["${id}"].profiles: expected a list of profile names`);
    if (entry.inputDependent !== undefined && typeof entry.inputDependent !== "boolean") throw new Error(`${file}: expectedFailures["${id}"].inputDependent: expected true or false`);
  }
  return { file, expectedFailures: entries };
}

/** The expectation for a test under a profile, if there is one. */
export function expectationFor(expectations: Expectations, testId: string, profile: string): ExpectedFailure | undefined {
  const entry = expectations.expectedFailures[testId];
  return entry && (entry.profiles === undefined || entry.profiles.includes(profile)) ? entry : undefined;
}

/** Does a failure match its expectation? */
export function matchesExpectation(expectation: ExpectedFailure, message: string | undefined): boolean {
  if (expectation.observed === undefined) return true;
  const accepted = typeof expectation.observed === "string" ? [expectation.observed] : expectation.observed;
  return accepted.some((o) => (message ?? "").includes(o));
}

/** The stable head of a failure message: the assertion's label, without the generated values. */
export function failureSignature(message: string | undefined): string {
  const first = (message ?? "").split("\n")[0]!;
  const label = first.split(": expected ")[0]!;
  return label.length > 160 ? label.slice(0, 160) : label;
}

/** A skeleton expectations file for every failing test of a run, for a person to complete. */
export function expectationsSkeleton(tests: { id: string; outcome: Outcome; message?: string }[], runtimeVersion: string): string {
  const expectedFailures: Record<string, ExpectedFailure> = {};
  for (const t of tests) {
    if (t.outcome !== "fail" && t.outcome !== "expectedFail") continue;
    expectedFailures[t.id] = { reason: "TODO: say why this runtime fails this test", seenOn: runtimeVersion, observed: failureSignature(t.message) };
  }
  return JSON.stringify({ schemaVersion: EXPECTATIONS_SCHEMA_VERSION, expectedFailures }, null, 2) + "\n";
}

/** Rewrite the file without the entries of tests that now pass. Returns the ids removed. */
export function dropPassingExpectations(expectations: Expectations, passing: string[]): string[] {
  if (!expectations.file) return [];
  const removed = passing.filter((id) => id in expectations.expectedFailures);
  if (!removed.length) return [];
  const parsed = JSON.parse(readFileSync(expectations.file, "utf8"));
  for (const id of removed) delete parsed.expectedFailures[id];
  writeFileSync(expectations.file, JSON.stringify(parsed, null, 2) + "\n");
  return removed;
}
