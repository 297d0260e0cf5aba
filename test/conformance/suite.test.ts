/**
 * The suite passes on the reference runtime and on real workerd, under every profile, and every
 * testable requirement of spec/ is covered by at least one test. The reference runs 100 cases
 * per property, as `npm run conformance` does by default; workerd runs 30 here (CI has 2 cores,
 * and a workerd boot costs about a worker process's start-up per case's workers).
 */
import { expect } from "chai";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { createWorkerdAdapter } from "../../conformance/adapters/workerd.ts";
import type { Adapter } from "../../conformance/contract.ts";
import { registeredTests } from "../../conformance/define.ts";
import { PROFILES } from "../../conformance/profiles.ts";
import { runSuite } from "../../conformance/runner.ts";
import { buildResults } from "../../conformance/report.ts";
import { loadSpec } from "../../spec/index.ts";
import "../../conformance/tests/index.ts";

const spec = loadSpec();

describe("the suite on conforming runtimes", function () {
  this.timeout(600_000);

  it("every testable requirement is checked by at least one conformance test, and every test names known requirements", () => {
    const ids = new Set(spec.map((r) => r.id));
    const covered = new Set(registeredTests().flatMap((t) => t.requirements));
    for (const t of registeredTests()) for (const r of t.requirements) expect(ids.has(r), `${t.id} names unknown requirement ${r}`).to.equal(true);
    const uncovered = spec.filter((r) => r.testable && !covered.has(r.id)).map((r) => r.id);
    expect(uncovered, "testable requirements without a test").to.deep.equal([]);
  });

  const cases: [string, () => Adapter, number][] = [
    ["reference", () => createReferenceAdapter(), 100],
    ["workerd", createWorkerdAdapter, 30],
  ];
  for (const [name, create, numRuns] of cases) {
    for (const profile of Object.values(PROFILES)) {
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
});
