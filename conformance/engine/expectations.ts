/**
 * Expected failures per adapter, kept outside the tests (like wpt metadata):
 * `conformance/expectations/<adapter>.json` lists the tests known to fail on a runtime, each with
 * the reason, the runtime version it was seen on, and the *checks* it is expected to fail (check
 * labels, see checks.ts). A failure of a named check is expected whatever wrong value this seed's
 * case shows; a failure of any other check is a real failure. The wrong values seen stay in the
 * entry as evidence (`observed`), not as the match key.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Outcome } from "./outcomes.ts";
import type { FailedCheck } from "./property.ts";

export const EXPECTATIONS_SCHEMA_VERSION = 2;

/** Joins a test id and a check into a full label: `entrypoints/returned-thenable › the thenable's value`. */
export const LABEL_SEPARATOR = " › ";

export function fullLabel(testId: string, check: string): string {
  return `${testId}${LABEL_SEPARATOR}${check}`;
}

export interface ExpectedFailure {
  /** Why it fails: the runtime's bug or design decision, in a sentence. Required. */
  reason: string;
  /** The runtime version it was seen on. */
  seenOn: string;
  /**
   * The check labels expected to fail (a check alone, or the full `<test id> › <check>`). A
   * failure of any other check of the test is a real failure. `"the probe answers"` expects a timeout.
   */
  checks?: string[];
  /**
   * Evidence: wrong observations seen (free text). With `checks` it is not matched against. An
   * entry without `checks` (schema 1) still matches by it: a substring the failure message must
   * contain, or any of a list.
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

export const EXPECTATIONS_DIR = new URL("../expectations/", import.meta.url).pathname;

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
    const checksOk = entry.checks === undefined || (Array.isArray(entry.checks) && entry.checks.length > 0 && entry.checks.every((c: unknown) => typeof c === "string" && c.trim()));
    if (!checksOk) throw new Error(`${file}: expectedFailures["${id}"].checks: expected a non-empty list of check labels`);
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

/** The check part of a label an entry names (a full `<id> › <check>` label loses its id). */
function checkPart(testId: string, label: string): string {
  const prefix = testId + LABEL_SEPARATOR;
  return label.startsWith(prefix) ? label.slice(prefix.length) : label;
}

/** Does the entry expect this check of `testId` to fail? Schema-1 entries: by `observed` in `message`. */
export function expectsCheck(expectation: ExpectedFailure, testId: string, check: string, message: string | undefined): boolean {
  if (expectation.checks) return expectation.checks.some((c) => checkPart(testId, c) === check);
  return matchesExpectation(expectation, message);
}

/** Does a failure match its expectation's `observed` (schema 1)? */
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

/** What the skeleton and the labelling read of a test result (a structural subset of `TestResult`). */
type FailedTest = { id: string; outcome: Outcome; message?: string; check?: string; failedChecks?: (FailedCheck & { expected: boolean })[] };

/** A skeleton expectations file for every failing test of a run, for a person to complete. */
export function expectationsSkeleton(tests: FailedTest[], runtimeVersion: string): string {
  const expectedFailures: Record<string, ExpectedFailure> = {};
  for (const t of tests) {
    if (t.outcome !== "fail" && t.outcome !== "expectedFail" && t.outcome !== "timeout") continue;
    const checks = t.failedChecks?.map((f) => f.check) ?? (t.check ? [t.check] : []);
    expectedFailures[t.id] = {
      reason: "TODO: say why this runtime fails this test",
      seenOn: runtimeVersion,
      ...(checks.length ? { checks } : {}),
      observed: t.failedChecks?.map((f) => firstLine(f.message)) ?? [failureSignature(t.message)],
    };
  }
  return JSON.stringify({ schemaVersion: EXPECTATIONS_SCHEMA_VERSION, expectedFailures }, null, 2) + "\n";
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!;
  return line.length > 300 ? line.slice(0, 300) : line;
}

/**
 * Add to the entries of `file` the checks that failed in these runs and that the entry already
 * accepts (by its checks, or by its schema-1 `observed` substrings): how a schema-1 file is
 * migrated, and how a file learns the checks of several seeds. A check an entry does not accept is
 * never added: it is a failure for a person to look at. Returns the ids of the entries changed.
 */
export function labelExpectationsFile(file: string, runs: { profile: { name: string }; tests: FailedTest[] }[]): string[] {
  const expectations = loadExpectationsFile(file);
  const parsed = JSON.parse(readFileSync(file, "utf8"));
  const changed = new Set<string>();
  for (const run of runs) {
    for (const t of run.tests) {
      const entry = expectationFor(expectations, t.id, run.profile.name);
      if (!entry || !t.failedChecks) continue;
      for (const f of t.failedChecks) {
        if (!f.expected) continue;
        const stored = parsed.expectedFailures[t.id];
        stored.checks ??= [];
        if (!stored.checks.includes(f.check)) {
          stored.checks.push(f.check);
          changed.add(t.id);
        }
      }
    }
  }
  if (changed.size) {
    parsed.schemaVersion = EXPECTATIONS_SCHEMA_VERSION;
    // Keys in a stable order: reason, seenOn, checks, then the rest as they were.
    for (const id of changed) {
      const { reason, seenOn, checks, ...rest } = parsed.expectedFailures[id];
      parsed.expectedFailures[id] = { reason, seenOn, checks, ...rest };
    }
    writeFileSync(file, JSON.stringify(parsed, null, 2) + "\n");
  }
  return [...changed];
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
