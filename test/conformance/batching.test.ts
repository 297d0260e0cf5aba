/**
 * The batched property runner boots one scenario per batch of cases, not one per case: the cases
 * it observes up front must be exactly the ones fast-check then asks about (same seed, same runs).
 * A runner that guesses the cases wrong still passes, only slowly; this is what notices.
 */
import { expect } from "chai";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import type { Adapter, Scenario } from "../../conformance/contract.ts";
import { registeredTests } from "../../conformance/define.ts";
import { PROFILES } from "../../conformance/profiles.ts";
import { runProperty } from "../../conformance/property.ts";
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
});
