/**
 * Outcomes are kept apart on purpose: a runtime author needs to tell "your runtime is wrong"
 * (fail) from "we knew" (expectedFail), "good news" (unexpectedPass), "not applicable" (skip) and
 * "the runtime or adapter broke" (error, timeout).
 */
export const OUTCOMES = ["pass", "fail", "expectedFail", "unexpectedPass", "skip", "error", "timeout"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that make a run exit non-zero. */
export const BAD_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(["fail", "unexpectedPass", "error", "timeout"]);

/** Worst first: a requirement's outcome is the worst outcome among its tests. */
const SEVERITY: Outcome[] = ["fail", "error", "timeout", "unexpectedPass", "expectedFail", "skip", "pass"];

export function worstOutcome(outcomes: Outcome[]): Outcome | undefined {
  for (const o of SEVERITY) if (outcomes.includes(o)) return o;
  return undefined;
}

export type Totals = Record<Outcome, number>;

export function countOutcomes(outcomes: Outcome[]): Totals {
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Totals;
  for (const o of outcomes) totals[o]++;
  return totals;
}
