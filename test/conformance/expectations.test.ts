/** The expectations file's matching rules, without running a runtime. */
import { expect } from "chai";
import { expectationFor, failureSignature, matchesExpectation } from "../../conformance/expectations.ts";

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
});
