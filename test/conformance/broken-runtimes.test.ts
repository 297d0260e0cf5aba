/**
 * A test that cannot fail is a defect. For every conformance test, this file names the
 * deliberately broken reference variant(s) (reference/faults.ts) that violate the requirement it
 * checks, runs the suite against each variant and shows the test failing.
 */
import { expect } from "chai";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { registeredTests } from "../../conformance/define.ts";
import { resolveProfile } from "../../conformance/profiles.ts";
import { runSuite } from "../../conformance/runner.ts";
import { FAULTS, type Fault } from "../../reference/index.ts";
import "../../conformance/tests/index.ts";

/** Conformance test id → the faults that must make it fail. */
export const BREAKERS: Record<string, Fault[]> = {
  "entrypoints/public-methods": ["class-exports-not-entrypoints", "sync-result-not-thenable"],
  "entrypoints/arguments": ["append-env-ctx"],
  "entrypoints/new-instance": ["reuse-instance"],
  "entrypoints/stateless": ["reuse-instance"],
  "entrypoints/constructor": ["constructor-args-swapped"],
  "entrypoints/fetch": ["fetch-as-rpc"],
  "visibility/private-members": ["expose-private"],
  "visibility/unknown-method": ["unknown-method-resolves-undefined"],
  "env/vars": ["json-vars-as-strings"],
  "env/callee-own": ["callee-sees-caller-env"],
  "env/service-bindings": ["callee-env-without-services"],
  "ctx/present": ["ctx-without-waituntil"],
  "ctx/wait-until": ["drop-waituntil"],
  "bindings/named-entrypoint": ["ignore-entrypoint"],
  "bindings/default-entrypoint": ["default-is-first-named"],
  "bindings/entrypoint-isolation": ["merge-entrypoints"],
  "serialization/basic-values": ["lossy-strings"],
  "serialization/copy-arguments": ["args-by-reference"],
  "serialization/copy-result": ["result-by-reference"],
};

const profile = resolveProfile("current");

describe("every conformance test fails against a runtime that breaks its requirement", function () {
  this.timeout(120_000);

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
        deadlineMs: 60_000,
      });
      for (const result of run.tests) {
        expect(result.outcome, `${result.id} under fault ${fault}: ${result.message ?? ""}`).to.equal("fail");
        expect(result.replay, "a failing test carries its replay command").to.match(/--seed=-?\d+ --path=\S+/);
      }
    });
  }
});
