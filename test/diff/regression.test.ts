/**
 * The differential engine as a regression net: a small, fixed-seed run of reference against
 * workerd under both profiles. Every divergence group it finds must be listed, with its reason,
 * in conformance/diff/known-divergences.json; a new one fails this test (and the fidelity work
 * shrinks that list). Incidental differences never go there: they are normalised
 * (conformance/diff/normalisations.ts, after spec/incidental.md). No timed assertions; about half a minute per profile.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { createWorkerdAdapter } from "../../conformance/adapters/workerd.ts";
import { PROFILES } from "../../conformance/engine/profiles.ts";
import { FAMILIES } from "../../conformance/diff/families.ts";
import { runDiff, type KnownDivergence } from "../../conformance/diff/engine.ts";

const KNOWN = JSON.parse(readFileSync(new URL("../../conformance/diff/known-divergences.json", import.meta.url), "utf8")).divergences as KnownDivergence[];
const SEED = 20261206;
const RUNS = 6;

describe("differential regression: reference vs workerd", function () {
  this.timeout(600_000);

  it("lists each known divergence with its reason and status (a reference bug or a missing requirement; incidental ones are normalised instead)", () => {
    for (const k of KNOWN) {
      expect(k.reason, `${k.family} ${k.group}`).to.be.a("string").and.not.equal("");
      expect(k.status, `${k.family} ${k.group}`).to.be.a("string").and.match(/reference bug|requirement|decision|same/);
    }
  });

  for (const profile of [PROFILES["2024-04-03"]!, PROFILES.current!]) {
    it(`finds no divergence outside known-divergences.json under ${profile.name}`, async () => {
      const workerd = createWorkerdAdapter();
      try {
        const result = await runDiff({
          adapters: [createReferenceAdapter(), workerd],
          profile,
          families: FAMILIES,
          runs: RUNS,
          seed: SEED,
          shrinkBudget: 0,
          adapterArgs: "reference,workerd",
          known: KNOWN,
        });
        expect(result.scenarios).to.be.greaterThan(40);
        expect(result.errors).to.deep.equal([]);
        const fresh = result.groups.filter((g) => g.primary && !g.known);
        const show = fresh.map((g) => `${g.family} ${g.group}\n    reference: ${JSON.stringify(g.a)?.slice(0, 200)}\n    workerd:   ${JSON.stringify(g.b)?.slice(0, 200)}`);
        expect(fresh, `new divergences (replay: npm run diff -- --adapters=reference,workerd --profile=${profile.name} --runs=${RUNS} --seed=${SEED}):\n  ${show.join("\n  ")}`).to.deep.equal([]);
      } finally {
        await workerd.close?.();
      }
    });
  }
});
