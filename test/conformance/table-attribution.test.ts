/**
 * serialization/structured-clone-table checks twelve requirements with one generated value graph.
 * A runtime that breaks one kind of the table must be reported failing that kind's requirement
 * only (issue 15: an Error's `cause` once marked all twelve failing). Each broken variant below
 * (variants/serialization.ts) breaks one kind; the test's failing requirements must be that kind's.
 */
import { expect } from "chai";
import { registeredTests } from "../../conformance/engine/define.ts";
import { resolveProfile } from "../../conformance/engine/profiles.ts";
import { runSuite } from "../../conformance/engine/runner.ts";
import "../../conformance/tests/index.ts";
import { createBrokenAdapter } from "./broken-adapter.ts";
import { variantNamed } from "./variants/index.ts";

/** Variant → the requirements its failures may be attributed to (the first is the one it breaks). */
const ATTRIBUTION: [string, string[]][] = [
  ["holes-become-undefined", ["SER-HOLES"]],
  ["dates-as-numbers", ["SER-DATE"]],
  ["regexp-keeps-lastindex", ["SER-REGEXP"]],
  ["map-entries-reversed", ["SER-MAP-SET"]],
  // Zeroed buffers also give views the wrong bytes: a typed array's or DataView's failure too.
  ["arraybuffers-zeroed", ["SER-ARRAYBUFFER", "SER-TYPED-ARRAYS", "SER-DATAVIEW"]],
  ["views-own-buffer", ["SER-TYPED-ARRAYS"]],
  ["dataview-offset-zero", ["SER-DATAVIEW"]],
  ["boxed-unboxed", ["SER-BOXED"]],
  // A copied second reference is a shared reference's failure (the check cannot tell it from a
  // cycle's), or, for a buffer two views share, the views' (SER-TYPED-ARRAYS, SER-DATAVIEW).
  ["shared-refs-copied-twice", ["SER-SHARED-REFS", "SER-CYCLES", "SER-TYPED-ARRAYS", "SER-DATAVIEW"]],
  ["error-values-legacy", ["SER-ERROR-VALUES"]],
];

describe("serialization/structured-clone-table attributes a failure to the kind of value that failed", function () {
  this.timeout(300_000);
  const test = registeredTests().filter((t) => t.id === "serialization/structured-clone-table");

  for (const [variant, allowed] of ATTRIBUTION) {
    it(`variant ${variant} fails ${allowed[0]} and no requirement of another kind`, async () => {
      const run = await runSuite({
        adapter: createBrokenAdapter(variantNamed(variant)),
        adapterSpec: "./test/conformance/broken-adapter.ts",
        profile: resolveProfile("current"),
        tests: test,
        expectations: { expectedFailures: {} },
        seed: 20261206,
        numRuns: 40,
        batchSize: 100,
        concurrency: 8,
        deadlineMs: 120_000,
        shrink: false,
      });
      const [result] = run.tests;
      expect(result!.outcome, result!.message ?? "").to.equal("fail");
      expect(result!.failingRequirements, "the requirements the failure counts against").to.include.oneOf(allowed);
      expect(result!.failingRequirements!.filter((r) => !allowed.includes(r)), "requirements of kinds the variant does not break").to.deep.equal([]);
    });
  }
});
