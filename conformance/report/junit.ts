/**
 * JUnit XML for CI systems (GitHub, GitLab, Jenkins, Buildkite all read it): one `<testsuite>` per
 * chapter, one `<testcase>` per conformance test. Outcomes map onto JUnit's three states the way
 * the CLI's exit status does: fail and unexpectedPass are failures, error and timeout are errors,
 * skip is skipped, and an expected failure passes with a note (it is known, not news).
 */
import { create } from "xmlbuilder2";
import type { Outcome } from "../engine/outcomes.ts";
import type { ResultsFile } from "./files.ts";

type TestEntry = ResultsFile["tests"][number];
type XMLBuilder = ReturnType<typeof create>;

/** JUnit's `message` attribute is a one-line summary; the element text carries the rest. */
const MAX_SUMMARY = 300;

export function junitXml(results: ResultsFile): string {
  const chapters = new Map<string, TestEntry[]>();
  for (const t of results.tests) {
    const list = chapters.get(t.chapter) ?? [];
    list.push(t);
    chapters.set(t.chapter, list);
  }
  // XML 1.0 cannot carry lone surrogates or most control characters; show them as \uXXXX
  // rather than dropping them, since a mangled string is often what the test reports.
  const doc = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: codePointEscape });
  const root = doc.ele("testsuites", {
    name: `Workers RPC conformance: ${results.adapter.name} (${results.profile.name})`,
    ...counts(results.tests),
    time: seconds(results.durationMs),
    timestamp: results.startedAt,
  });
  for (const [chapter, tests] of chapters) {
    const suite = root.ele("testsuite", {
      name: chapter,
      ...counts(tests),
      time: seconds(tests.reduce((sum, t) => sum + (t.durationMs ?? 0), 0)),
      timestamp: results.startedAt,
    });
    properties(suite, results);
    for (const t of tests) testcase(suite, t);
  }
  return doc.end({ prettyPrint: true }) + "\n";
}

function counts(tests: TestEntry[]): { tests: number; failures: number; errors: number; skipped: number } {
  const n = (...outcomes: Outcome[]) => tests.filter((t) => outcomes.includes(t.outcome)).length;
  return { tests: tests.length, failures: n("fail", "unexpectedPass"), errors: n("error", "timeout"), skipped: n("skip") };
}

function properties(suite: XMLBuilder, r: ResultsFile): void {
  const props = suite.ele("properties");
  const entries: [string, string][] = [
    ["adapter", r.adapter.name],
    ["adapter.spec", r.adapter.spec],
    ["runtime", `${r.adapter.runtime} ${r.adapter.version}`],
    ["profile", r.profile.name],
    ["compatibilityDate", r.profile.compatibilityDate],
    ["compatibilityFlags", r.profile.compatibilityFlags.join(",")],
    ["seed", String(r.seed)],
    ["suiteVersion", r.suiteVersion],
  ];
  for (const [name, value] of entries) props.ele("property", { name, value });
}

function testcase(suite: XMLBuilder, t: TestEntry): void {
  const tc = suite.ele("testcase", {
    classname: t.chapter,
    name: `${t.id} [${t.requirements.join(", ")}]`,
    time: seconds(t.durationMs),
  });
  const repro = (t as { repro?: unknown }).repro;
  const reproPath = typeof repro === "string" ? repro : undefined;
  switch (t.outcome) {
    case "pass":
      break;
    case "fail":
      tc.ele("failure", { type: "fail", message: summary(t.message ?? "failed") }).txt(body(t, reproPath));
      break;
    case "unexpectedPass": {
      const why = t.expectation ? `expected to fail (${t.expectation.reason}) but passed` : "expected to fail but passed";
      tc.ele("failure", { type: "unexpectedPass", message: summary(why) })
        .txt(body(t, reproPath, `${why}: remove its entry from the adapter's expectations file.`));
      break;
    }
    case "error":
      tc.ele("error", { type: "error", message: summary(t.message ?? "error") }).txt(body(t, reproPath));
      break;
    case "timeout":
      tc.ele("error", { type: "timeout", message: summary(t.message ?? `timed out after ${t.durationMs} ms`) }).txt(body(t, reproPath));
      break;
    case "skip":
      tc.ele("skipped", { message: summary(t.message ?? "skipped") });
      break;
    case "expectedFail": {
      const note = t.expectation ? `expected failure: ${t.expectation.reason} (seen on ${t.expectation.seenOn})` : "expected failure";
      tc.ele("system-out").txt(t.message ? `${note}\n\n${t.message}` : note);
      break;
    }
  }
  // The attachment convention Jenkins and GitLab use to link a file from a test case.
  if (reproPath && t.outcome !== "pass" && t.outcome !== "expectedFail") tc.ele("system-out").txt(`[[ATTACHMENT|${reproPath}]]`);
}

function body(t: TestEntry, repro: string | undefined, lead?: string): string {
  const parts = [lead, t.label && `check: ${t.label}`, t.message];
  if (t.counterexample) parts.push(`counterexample: ${t.counterexample}`);
  if (t.replay) parts.push(`replay: ${t.replay}`);
  if (repro) parts.push(`repro bundle: ${repro}`);
  return parts.filter((p): p is string => Boolean(p)).join("\n\n");
}

function summary(message: string): string {
  const line = message.split("\n", 1)[0]!;
  if (line.length <= MAX_SUMMARY) return line;
  let cut = line.slice(0, MAX_SUMMARY);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** JUnit's `time`; 0 for results read back from a results.json, which carries no wall clock. */
function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

function codePointEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}
