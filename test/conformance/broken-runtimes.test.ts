/**
 * A test that cannot fail is a defect. For every conformance test, this file names the
 * deliberately broken reference variant(s) (reference/faults.ts) that violate the requirement it
 * checks, runs the suite against each variant and shows the test failing.
 */
import { expect } from "chai";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { registeredTests } from "../../conformance/engine/define.ts";
import { resolveProfile } from "../../conformance/engine/profiles.ts";
import { runSuite } from "../../conformance/engine/runner.ts";
import { FAULTS, type Fault } from "../../reference/index.ts";
import "../../conformance/tests/index.ts";

import { readdirSync } from "node:fs";

/**
 * Conformance test id → the faults that must make it fail. One file per chapter under
 * breakers/, each exporting BREAKERS; all of them are merged here.
 */
export const BREAKERS: Record<string, Fault[]> = {};
for (const file of readdirSync(new URL("./breakers/", import.meta.url)).filter((f) => f.endsWith(".ts")).sort()) {
  const module = (await import(new URL(`./breakers/${file}`, import.meta.url).href)) as { BREAKERS: Record<string, Fault[]> };
  Object.assign(BREAKERS, module.BREAKERS);
}

const profile = resolveProfile("current");

describe("every conformance test fails against a runtime that breaks its requirement", function () {
  this.timeout(300_000);

  it("every conformance test has at least one breaking fault, and every fault breaks some test", () => {
    const ids = registeredTests().map((t) => t.id);
    expect(ids.filter((id) => !BREAKERS[id]), "conformance tests with no broken variant").to.deep.equal([]);
    const used = new Set(Object.values(BREAKERS).flat());
    expect(Object.keys(FAULTS).filter((f) => !used.has(f as Fault)), "faults no test is shown to catch").to.deep.equal([]);
  });

  const byFault = new Map<Fault, string[]>();
  for (const [id, faults] of Object.entries(BREAKERS)) for (const f of faults) byFault.set(f, [...(byFault.get(f) ?? []), id]);

  for (const [fault, ids] of byFault) {
    it(`fault ${fault} makes ${ids.join(", ")} fail`, async () => {
      const tests = registeredTests().filter((t) => ids.includes(t.id));
      const run = await runSuite({
        adapter: createReferenceAdapter({ faults: [fault] }),
        adapterSpec: "reference",
        profile,
        tests,
        expectations: { expectedFailures: {} },
        seed: 20261127,
        numRuns: 40,
        batchSize: 100,
        concurrency: 8,
        deadlineMs: 120_000,
        // "It fails" is the claim; shrinking would only add boots (and, for timing faults, waits).
        shrink: false,
      });
      for (const result of run.tests) {
        expect(result.outcome, `${result.id} under fault ${fault}: ${result.message ?? ""}`).to.equal("fail");
        expect(result.replay, "a failing test carries its replay command").to.match(/--seed=-?\d+ --path=\S+/);
      }
    });
  }
});
