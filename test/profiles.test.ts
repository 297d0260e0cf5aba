/**
 * "current" without workerd installed: the suite falls back to the date it was last verified
 * against, which must be the date of the workerd this repository develops with.
 */
import { expect } from "chai";
import { createRequire } from "node:module";
import { NEWEST_DATE, VERIFIED_DATE } from "../conformance/engine/profiles.ts";

describe("profiles", () => {
  it("VERIFIED_DATE is the installed workerd's newest compatibility date (bump both together)", () => {
    const workerd = createRequire(import.meta.url)("workerd") as { compatibilityDate: string };
    expect(VERIFIED_DATE).to.equal(workerd.compatibilityDate);
    expect(NEWEST_DATE).to.equal(workerd.compatibilityDate);
  });
});
