/** The whole suite on one runtime, as mocha tests: shared by suite.test.ts and suite-workerd.test.ts. */
import { expect } from "chai";
import type { Adapter } from "../../conformance/contract.ts";
import { registeredTests } from "../../conformance/engine/define.ts";
import { PROFILES, type Profile } from "../../conformance/engine/profiles.ts";
import { runSuite } from "../../conformance/engine/runner.ts";
import { buildResults } from "../../conformance/report/files.ts";
import { loadSpec } from "../../spec/index.ts";
import "../../conformance/tests/index.ts";

const spec = loadSpec();

/** One `it` per profile: the whole suite passes on `create()` with `numRuns(profile)` cases per property. */
export function suiteRuns(name: string, create: () => Adapter, numRunsOf: (profile: Profile) => number): void {
  for (const profile of Object.values(PROFILES)) {
    const numRuns = numRunsOf(profile);
    it(`passes on ${name} under profile ${profile.name} (${numRuns} runs per property)`, async () => {
      const run = await runSuite({
        adapter: create(),
        adapterSpec: name,
        profile,
        tests: registeredTests(),
        expectations: { expectedFailures: {} },
        seed: 1127,
        numRuns,
        batchSize: 100,
        concurrency: 8,
        deadlineMs: 300_000,
      });
      const bad = run.tests.filter((t) => t.outcome !== "pass").map((t) => `${t.id}: ${t.outcome}: ${t.message}\n  ${t.replay ?? ""}`);
      expect(bad, "tests that did not pass").to.deep.equal([]);
      const results = buildResults(run, { adapterName: name, adapterSpec: name, profile, seed: 1127, numRuns }, spec);
      const untested = Object.entries(results.requirements).filter(([, r]) => r.outcome === "untested");
      expect(untested.map(([id]) => id), "requirements with no test in the run").to.deep.equal([]);
    });
  }
}
