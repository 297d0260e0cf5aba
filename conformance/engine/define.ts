/**
 * How a conformance test is written. A test is data: the requirement IDs it checks, a fast-check
 * arbitrary for its variable part, a function that turns one generated case into a scenario, and a
 * `check` that asserts on what the probe observed. The runner owns booting, batching, deadlines and
 * reporting, so a test never mentions a runtime.
 */
import type * as fc from "fast-check";
import type { CaseScenario } from "./scenario.ts";
import type { Profile } from "./profiles.ts";

export { labelled } from "./checks.ts";

export interface ConformanceTest<Case = unknown, Observed = unknown> {
  /** Stable ID `<chapter>/<name>`, used by --grep, expectations files and reports. */
  id: string;
  title: string;
  /** Requirement IDs from spec/ this test checks (at least one). */
  requirements: string[];
  arbitrary: fc.Arbitrary<Case>;
  /** The scenario that exercises one case. */
  scenario(c: Case, profile: Profile): CaseScenario;
  /**
   * Throws (chai) when the observation breaks a requirement. `observed` is the decoded `respond()`
   * value; annotate its type on the parameter (`check(c, o: { value: unknown })`) and it is the
   * test's `Observed` — the probe's shape stated once, no casts in the body. Each failure is identified by its *check label* (see checks.ts): the chai message's
   * last segment (`expect(x, "the thenable's value")`), or an explicit `labelled(label, fn)`.
   */
  check(c: Case, observed: Observed, profile: Profile): void | Promise<void>;
  /**
   * Which requirements a check is about, by check label, when not all of `requirements`: a failure
   * of that check is attributed only to these. Checks not listed are attributed to all of them.
   */
  checks?: Record<string, string[]>;
  /** Cases per property run when the CLI does not say otherwise. */
  numRuns?: number;
}

const registry: ConformanceTest<any, any>[] = [];

export function defineTest<Case, Observed = unknown>(test: ConformanceTest<Case, Observed>): ConformanceTest<Case, Observed> {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(test.id)) throw new Error(`conformance test id "${test.id}" must look like "chapter/name"`);
  if (registry.some((t) => t.id === test.id)) throw new Error(`conformance test id "${test.id}" is defined twice`);
  if (test.requirements.length === 0) throw new Error(`conformance test "${test.id}" names no requirement`);
  for (const [check, ids] of Object.entries(test.checks ?? {})) {
    const unknown = ids.filter((id) => !test.requirements.includes(id));
    if (ids.length === 0 || unknown.length) throw new Error(`conformance test "${test.id}": checks["${check}"] must name some of the test's requirements${unknown.length ? `, not ${unknown.join(", ")}` : ""}`);
  }
  registry.push(test);
  return test;
}

export function registeredTests(): readonly ConformanceTest<any, any>[] {
  return registry;
}
