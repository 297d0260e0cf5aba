/**
 * The suite passes on the reference runtime under every profile, and every
 * testable requirement of spec/ is covered by at least one test. The reference runs 100 cases
 * per property under the default profile, as `npm run conformance` does by default. workerd runs
 * live in suite-workerd.test.ts (a file of their own, so mocha's parallel mode can run them on
 * the other core).
 */
import { expect } from "chai";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { registeredTests } from "../../conformance/engine/define.ts";
import { DEFAULT_PROFILE } from "../../conformance/engine/profiles.ts";
import { suiteRuns } from "./suite-runs.ts";
import { budget } from "../budget.ts";
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

  suiteRuns("reference", () => createReferenceAdapter(), (profile) => (profile.name === DEFAULT_PROFILE ? 100 : budget(30, 100)));
});
