/**
 * The batched property runner boots one scenario per batch of cases, not one per case: the cases
 * it observes up front must be exactly the ones fast-check then asks about (same seed, same runs).
 * A runner that guesses the cases wrong still passes, only slowly; this is what notices.
 */
import { expect } from "chai";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import type { Adapter, Scenario } from "../../conformance/contract.ts";
import { registeredTests } from "../../conformance/engine/define.ts";
import { PROFILES } from "../../conformance/engine/profiles.ts";
import { runProperty } from "../../conformance/engine/property.ts";
import { runSuite } from "../../conformance/engine/runner.ts";
import type { TestResult } from "../../conformance/engine/results.ts";
import "../../conformance/tests/index.ts";

function countingAdapter(): { adapter: Adapter; starts: number[] } {
  const inner = createReferenceAdapter();
  const starts: number[] = [];
  const adapter: Adapter = {
    ...inner,
    runtime: () => inner.runtime(),
    async start(scenario: Scenario) {
      starts.push(scenario.workers.length);
      return inner.start(scenario);
    },
  };
  return { adapter, starts };
}

describe("the batched property runner", function () {
  this.timeout(120_000);
  // Tests whose arbitraries bias by run index differently in fc.sample and fc.check (most do).
  for (const id of ["visibility/inherited", "serialization/copy-table-both-ways", "stubs/lifecycle-model"]) {
    it(`boots once per batch for ${id}, whatever the seed`, async () => {
      const test = registeredTests().find((t) => t.id === id)!;
      expect(test, id).to.not.equal(undefined);
      for (const [seed, batchSize] of [[1, 100], [7, 15]] as const) {
        const { adapter, starts } = countingAdapter();
        const outcome = await runProperty(test, { adapter, profile: PROFILES.current!, seed, numRuns: 40, batchSize, concurrency: 8 });
        expect(outcome.status, outcome.message).to.equal("pass");
        // Duplicate cases share a boot, so at most ceil(40 / batchSize) boots, and never one per case.
        expect(starts.length, `boots with seed ${seed}, batch size ${batchSize}`).to.be.at.most(Math.ceil(40 / batchSize));
      }
    });
  }

  describe("booting the next tests ahead (Adapter.concurrentScenarios)", () => {
    const ids = ["visibility/inherited", "entrypoints/constructor", "serialization/copy-result", "calls/lazy-property", "ctx/props"];
    const tests = () => ids.map((id) => registeredTests().find((t) => t.id === id)!);
    const run = (adapter: Adapter, parallel: number, deadlineMs = 60_000, onTestEnd?: (result: TestResult) => void) =>
      runSuite({ adapter, adapterSpec: "counting", profile: PROFILES.current!, tests: tests(), expectations: { expectedFailures: {} }, seed: 3, numRuns: 10, batchSize: 100, concurrency: 8, parallel, deadlineMs, onTestEnd });
    /** The reference, with the n-th scenario (from 1) started by `start(n, scenario, startNow)`. */
    const startingAs = (start: (n: number, scenario: Scenario, startNow: (scenario: Scenario) => ReturnType<Adapter["start"]>) => ReturnType<Adapter["start"]>): Adapter => {
      const inner = createReferenceAdapter();
      let starts = 0;
      return { ...inner, runtime: () => inner.runtime(), start: (scenario) => start(++starts, scenario, (s) => inner.start(s)) };
    };

    it("keeps at most `parallel` scenarios booted at once, and does overlap them", async () => {
      const inner = createReferenceAdapter();
      let live = 0;
      let most = 0;
      const adapter: Adapter = {
        ...inner,
        runtime: () => inner.runtime(),
        async start(scenario) {
          live++;
          most = Math.max(most, live);
          const running = await inner.start(scenario);
          return { fetch: (w, r) => running.fetch(w, r), dispose: async () => { live--; await running.dispose(); } };
        },
      };
      const result = await run(adapter, 2);
      expect(result.tests.map((t) => t.outcome)).to.deep.equal(ids.map(() => "pass"));
      expect(most, "most scenarios booted at once").to.equal(2);
    });

    it("a test whose scenario never boots times out alone: the others still run and pass", async () => {
      const adapter = startingAs((n, scenario, startNow) => (n === 1 ? new Promise<never>(() => {}) : startNow(scenario)));
      const result = await run(adapter, 2, 3_000);
      expect(result.tests.map((t) => t.outcome)).to.deep.equal(["timeout", ...ids.slice(1).map(() => "pass")]);
    });

    it("a test that finishes after its deadline stays the timeout the run reported", async () => {
      // The first scenario boots 2.5 s late, past the 1.5 s deadline; every other boot takes 1 s, so
      // the first test's late result arrives while the run is still going.
      const adapter = startingAs((n, scenario, startNow) => new Promise((resolve) => setTimeout(() => resolve(startNow(scenario)), n === 1 ? 2_500 : 1_000)));
      const reported: string[] = [];
      const result = await run(adapter, 1, 1_500, (t) => reported.push(t.outcome));
      expect(result.tests[0]!.outcome).to.equal("timeout");
      expect(result.tests.map((t) => t.outcome), "results as returned").to.deep.equal(reported);
    });
  });
});
