/**
 * A test that cannot fail is a defect. For every conformance test, this file runs the
 * deliberately broken reference variant(s) that violate the requirement it checks and shows the
 * test failing. Variants are declared in variants/ (each names the requirements it breaks and the
 * tests it must fail) and replace named steps of the runtime (reference/seams.ts).
 */
import { expect } from "chai";
import { registeredTests } from "../../conformance/engine/define.ts";
import { resolveProfile } from "../../conformance/engine/profiles.ts";
import { runSuite } from "../../conformance/engine/runner.ts";
import type { Adapter } from "../../conformance/contract.ts";
import { loadSpec } from "../../spec/index.ts";
import "../../conformance/tests/index.ts";
import { createBrokenAdapter } from "./broken-adapter.ts";
import { VARIANTS } from "./variants/index.ts";

const profile = resolveProfile("current");

describe("every conformance test fails against a runtime that breaks its requirement", function () {
  this.timeout(300_000);

  it("every conformance test has at least one breaking variant, and every variant breaks some test", () => {
    const ids = registeredTests().map((t) => t.id);
    const broken = new Set(VARIANTS.flatMap((v) => v.mustFail));
    expect(ids.filter((id) => !broken.has(id)), "conformance tests with no broken variant").to.deep.equal([]);
    expect(VARIANTS.filter((v) => v.mustFail.length === 0).map((v) => v.name), "variants no test is shown to catch").to.deep.equal([]);
    expect(VARIANTS.flatMap((v) => v.mustFail).filter((id) => !ids.includes(id)), "mustFail naming no conformance test").to.deep.equal([]);
    const names = VARIANTS.map((v) => v.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i), "variant names used twice").to.deep.equal([]);
    const requirements = new Set(loadSpec().map((r) => r.id));
    expect(VARIANTS.flatMap((v) => v.breaks.filter((id) => !requirements.has(id)).map((id) => `${v.name}: ${id}`)), "breaks naming no requirement").to.deep.equal([]);
  });

  for (const variant of VARIANTS) {
    it(`variant ${variant.name} makes ${variant.mustFail.join(", ")} fail`, () => expectFailures(createBrokenAdapter(variant), variant.name, variant.mustFail));
  }
});

/** Run `ids` against the broken variant `name` and see each fail. */
async function expectFailures(adapter: Adapter, name: string, ids: readonly string[]): Promise<void> {
  const tests = registeredTests().filter((t) => ids.includes(t.id));
  const run = await runSuite({
    adapter,
    // Replay commands run the same variant through the test-only adapter.
    adapterSpec: "./test/conformance/broken-adapter.ts",
    replayFlags: [`--adapter-option=variant=${name}`],
    profile,
    tests,
    expectations: { expectedFailures: {} },
    seed: 20261127,
    numRuns: 40,
    batchSize: 100,
    concurrency: 8,
    deadlineMs: 120_000,
    // "It fails" is the claim; shrinking would only add boots (and, for timing variants, waits).
    shrink: false,
  });
  for (const result of run.tests) {
    expect(result.outcome, `${result.id} under ${name}: ${result.message ?? ""}`).to.equal("fail");
    expect(result.replay, "a failing test carries its replay command").to.match(/--seed=-?\d+ --path=\S+/);
  }
}
