/** Check labels, failure explanations and the seed policy, without running a runtime. */
import { expect } from "chai";
import { checkFailure, checkLabelOf, explainFailure, firstDifference, labelled, labelFromAssertionMessage, labelFromErrorMessage, render } from "../../conformance/engine/checks.ts";
import { chooseSeed, ciSeed, isCi } from "../../conformance/engine/seed.ts";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected fn to throw");
}

describe("check labels", () => {
  it("a chai message's last segment with words, generated parts masked", () => {
    expect(checkLabelOf(thrown(() => expect(1, `sync method "_": the call must return a thenable`).to.equal(2))).check).to.equal("the call must return a thenable");
    expect(checkLabelOf(thrown(() => expect(1, `env.S["#A"](): the error was thrown synchronously; RPC calls must reject instead`).to.equal(2))).check).to.equal(
      "the error was thrown synchronously; RPC calls must reject instead",
    );
    // A generated suffix without words is not the check.
    expect(labelFromAssertionMessage("instance serial numbers seen by successive calls: 1, 2, 2")).to.equal("instance serial numbers seen by successive calls");
    expect(labelFromAssertionMessage(`33554440 bytes of ArrayBuffer as the argument: the call threw synchronously`)).to.equal("the call threw synchronously");
  });

  it("does not depend on the values compared", () => {
    const a = checkLabelOf(thrown(() => expect({ x: "\ufffd" }, "the thenable's value").to.deep.equal({ x: "\ud800" })));
    const b = checkLabelOf(thrown(() => expect([1, 2], "the thenable's value").to.deep.equal({ "\u0000": "" })));
    expect(a).to.deep.equal({ check: "the thenable's value" });
    expect(b).to.deep.equal(a);
  });

  it("labelled() names a check (and its requirements), sync or async, innermost first", async () => {
    expect(checkLabelOf(thrown(() => labelled("dates", ["SER-DATE"], () => expect(1, "x").to.equal(2))))).to.deep.equal({ check: "dates", requirements: ["SER-DATE"] });
    expect(checkLabelOf(thrown(() => labelled("outer", () => labelled("inner", () => expect(1).to.equal(2)))))).to.deep.equal({ check: "inner" });
    const error = await labelled("async", async () => {
      throw new Error("boom");
    }).catch((e: unknown) => e);
    expect(checkLabelOf(error)).to.deep.equal({ check: "async" });
    expect(labelled("fine", () => 3)).to.equal(3);
    expect(checkLabelOf(checkFailure("expected a value", "m: expected a value, but x"))).to.deep.equal({ check: "expected a value" });
  });

  it("thrown errors: the `expected X` of `…: expected X, but Y`, else the first segment", () => {
    expect(labelFromErrorMessage(`env.S["x"](): expected the call to reject, but it resolved`)).to.equal("expected the call to reject");
    expect(labelFromErrorMessage(`a: expected a rejection with TypeError: The ReadableStream has been locked to a reader., but the call resolved`)).to.equal("expected a rejection with TypeError");
    expect(labelFromErrorMessage("the probe's own steps failed: TypeError: s.$ is not a function")).to.equal("the probe's own steps failed");
    expect(labelFromErrorMessage("Cannot destructure property 'type' of 'results[i]' as it is undefined.")).to.equal("Cannot destructure property … of … as it is undefined.");
    expect(checkLabelOf(thrown(() => expect(1).to.equal(2))).check).to.equal("(an unlabelled assertion: strictEqual)");
  });
});

describe("failure explanations", () => {
  it("name the first differing path and show both values in full", () => {
    const error = thrown(() => expect({ $: "error", id: 1, cause: { message: "a", extra: [1, 2, 3, 4, 5] } }, "v").to.deep.equal({ $: "error", id: 1, cause: { message: "b", extra: [1, 2, 3, 4, 5] } }));
    const { message, difference } = explainFailure(error);
    expect(difference).to.deep.equal({ path: ".cause.message", actual: "'a'", expected: "'b'" });
    expect(message).to.include("first difference at .cause.message: expected 'b', got 'a'");
    expect(message).to.include("extra: [ 1, 2, 3, 4, 5 ]");
  });

  it("tell DataViews apart by their bytes (chai shows both as `DataView(0) []`)", () => {
    const a = new DataView(new Uint8Array([1, 2]).buffer);
    const b = new DataView(new Uint8Array([1, 3]).buffer);
    expect(firstDifference(a, b)?.path).to.equal("");
    expect(render(a)).to.not.equal(render(b));
    expect(firstDifference(new DataView(new Uint8Array([1]).buffer), new DataView(new Uint8Array([1]).buffer))).to.equal(undefined);
  });

  it("report missing and extra keys, Map entries and Set members", () => {
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).to.deep.equal({ path: ".b", actual: "(missing)", expected: "2" });
    expect(firstDifference(new Map([["k", 1]]), new Map([["k", 2]]))?.path).to.equal(".get('k')");
    expect(firstDifference([1, new Set([1, 2])], [1, new Set([1, 3])])?.path).to.equal("[1].values()[1]");
  });
});

describe("the seed policy", () => {
  it("CI: a fixed seed from the suite version, the same every time; --seed=random opts in to exploring", () => {
    expect(chooseSeed(undefined, true).seed).to.equal(ciSeed());
    expect(chooseSeed(undefined, true).seed).to.equal(chooseSeed(undefined, true).seed);
    expect(ciSeed("0.1.0")).to.not.equal(ciSeed("0.2.0"));
    expect(chooseSeed("random", true).why).to.include("random");
    expect(chooseSeed("42", true).seed).to.equal(42);
    expect(() => chooseSeed("abc", false)).to.throw(/--seed expects an integer or "random"/);
  });

  it("CI is any value of CI but empty, 0 and false", () => {
    expect(isCi({ CI: "true" })).to.equal(true);
    expect(isCi({ CI: "1" })).to.equal(true);
    expect(isCi({})).to.equal(false);
    expect(isCi({ CI: "false" })).to.equal(false);
    expect(isCi({ CI: "0" })).to.equal(false);
  });
});
