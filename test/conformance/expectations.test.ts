/** The expectations file's matching rules, without running a runtime. */
import { expect } from "chai";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { registeredTests } from "../../conformance/engine/define.ts";
import { expectationFor, failureSignature, matchesExpectation } from "../../conformance/engine/expectations.ts";
import { PROFILES } from "../../conformance/engine/profiles.ts";
import { runSuite } from "../../conformance/engine/runner.ts";
import "../../conformance/tests/index.ts";

describe("expectations", () => {
  const entry = { reason: "r", seenOn: "1" };

  it("an entry applies to the profiles it names, or to all when it names none", () => {
    const expectations = { expectedFailures: { a: { ...entry, profiles: ["current"] }, b: entry } };
    expect(expectationFor(expectations, "a", "current")).to.not.equal(undefined);
    expect(expectationFor(expectations, "a", "2024-04-03")).to.equal(undefined);
    expect(expectationFor(expectations, "b", "2024-04-03")).to.not.equal(undefined);
    expect(expectationFor(expectations, "c", "current")).to.equal(undefined);
  });

  it("observed pins the failure: one substring, or any of a list", () => {
    expect(matchesExpectation(entry, "anything")).to.equal(true);
    expect(matchesExpectation({ ...entry, observed: "wrong class" }, "x: wrong class seen")).to.equal(true);
    expect(matchesExpectation({ ...entry, observed: "wrong class" }, "x: another answer")).to.equal(false);
    expect(matchesExpectation({ ...entry, observed: ["one", "two"] }, "it was two")).to.equal(true);
    expect(matchesExpectation({ ...entry, observed: ["one", "two"] }, "three")).to.equal(false);
  });

  it("the skeleton's signature is the assertion label, without generated values", () => {
    expect(failureSignature('error class: expected "Error" to equal "TypeError"\nmore')).to.equal("error class");
  });

  it("a pass is unexpected, unless the entry says the divergence depends on the generated input", async function () {
    this.timeout(60_000);
    const test = registeredTests().find((t) => t.id === "visibility/inherited")!;
    const outcome = async (extra: object) => {
      const run = await runSuite({
        adapter: createReferenceAdapter(),
        adapterSpec: "reference",
        profile: PROFILES.current!,
        tests: [test],
        expectations: { expectedFailures: { [test.id]: { ...entry, ...extra } } },
        seed: 1,
        numRuns: 5,
        batchSize: 100,
        concurrency: 8,
        deadlineMs: 60_000,
      });
      return run.tests[0]!;
    };
    expect((await outcome({})).outcome).to.equal("unexpectedPass");
    const dependent = await outcome({ inputDependent: true });
    expect(dependent.outcome).to.equal("pass");
    expect(dependent.message).to.match(/input-dependent divergence \(r\)/);
  });
});
