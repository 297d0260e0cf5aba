/**
 * The differential engine's own tests: reference against itself finds nothing; a planted
 * divergence is found, shrunk to its smallest case, and written as a bundle that reproduces it
 * when booted again from its wrangler.toml files. No timed assertions.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { PROFILES } from "../../conformance/engine/profiles.ts";
import fc from "fast-check";
import { deepCallee, deepProbe, selectFamilies, valueExpr, type Family } from "../../conformance/diff/families.ts";
import { knownEntry, replayBundle, runDiff } from "../../conformance/diff/engine.ts";
import { differences } from "../../conformance/diff/compare.ts";
import { NORMALISATIONS, normalise, outcomesLens } from "../../conformance/diff/normalisations.ts";
import { loadWranglerConfigs } from "../../reference/index.ts";
import { createPlantedAdapter } from "../fixtures/adapters/planted-divergence.ts";

const profile = PROFILES.current!;

/** A family of its own, so the planted divergence's smallest case is known: one string of one character. */
const words: Family<{ words: string[] }> = {
  name: "words",
  description: "a callee returns a list of generated strings",
  arbitrary: fc.record({ words: fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }) }),
  scenario: (c) => ({
    workers: [
      deepCallee("callee", `export default class extends WorkerEntrypoint { give() { return ${valueExpr(c.words)}; } }`),
      deepProbe(`    await see("give", () => env.S.give());`, [{ binding: "S", service: "callee" }]),
    ],
    probe: "probe",
  }),
};

describe("differential engine", function () {
  this.timeout(300_000);

  it("finds nothing when a runtime is compared with itself, across every family", async () => {
    const result = await runDiff({
      adapters: [createReferenceAdapter(), createReferenceAdapter()],
      profile,
      families: selectFamilies("^(?!limits$)"),
      runs: 6,
      seed: 11,
      adapterArgs: "reference,reference",
    });
    expect(result.scenarios).to.be.greaterThan(30);
    expect(result.groups, JSON.stringify(result.groups.map((g) => `${g.family} ${g.group}`))).to.deep.equal([]);
    expect(result.errors).to.deep.equal([]);
  });

  it("finds a planted divergence, shrinks it, and writes a bundle that reproduces it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "diff-planted-"));
    try {
      const result = await runDiff({
        adapters: [createReferenceAdapter(), createPlantedAdapter()],
        profile,
        families: [words],
        runs: 30,
        seed: 5,
        shrinkBudget: 60,
        reportDir: dir,
        adapterArgs: "reference,./test/fixtures/adapters/planted-divergence.ts",
      });
      const primary = result.groups.filter((g) => g.primary);
      expect(primary.map((g) => g.group)).to.deep.equal([".steps[give:resolved].resolved.keys[*].value.v"]);
      const group = primary[0]!;
      // Shrunk: one word of one character (the planted runtime alters non-empty strings only).
      const shrunk = (group.counterexample as { words: string[] }).words;
      expect(shrunk).to.have.length(1);
      expect(shrunk[0]).to.have.length(1);
      expect(group.b).to.equal(`${group.a}!`);
      expect(group.replay).to.match(/^npm run diff -- --adapters=reference,\S+ --profile=current --grep='\^words\$' --seed=5 --runs=30 --path=\S+$/);
      // The bundle is a standalone project that, booted again, shows the same divergence.
      const bundle = join(dir, group.bundle!);
      expect(existsSync(join(bundle, "callee", "wrangler.toml"))).to.equal(true);
      expect(readFileSync(join(bundle, "README.md"), "utf8")).to.include("--bundle=");
      const replayed = await replayBundle(bundle, [createReferenceAdapter(), createPlantedAdapter()], (paths) => loadWranglerConfigs(paths, { onWarning: () => {} }));
      expect(replayed.map((d) => d.group)).to.deep.equal([group.group]);
      const same = await replayBundle(bundle, [createReferenceAdapter(), createReferenceAdapter()], (paths) => loadWranglerConfigs(paths, { onWarning: () => {} }));
      expect(same).to.deep.equal([]);
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
      expect(summary.groups.map((g: { group: string }) => g.group)).to.deep.equal([group.group]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("replays a counterexample from its seed and path alone", async () => {
    const adapters = () => [createReferenceAdapter(), createPlantedAdapter()] as [ReturnType<typeof createReferenceAdapter>, ReturnType<typeof createPlantedAdapter>];
    const first = await runDiff({ adapters: adapters(), profile, families: [words], runs: 30, seed: 5, shrinkBudget: 60, adapterArgs: "x" });
    const group = first.groups.find((g) => g.fcPath !== undefined)!;
    const replay = await runDiff({ adapters: adapters(), profile, families: [words], runs: 30, seed: 5, path: group.fcPath, adapterArgs: "x" });
    expect(replay.groups).to.have.length(1);
    expect(replay.groups[0]!.counterexample).to.deep.equal(group.counterexample);
  });

  it("groups by the first differing path, with generated key names and step numbers as *", () => {
    const a = { steps: [{ label: "0:call", resolved: { keys: [{ key: "generatedName", value: { t: "number", v: "1" } }] } }] };
    const b = { steps: [{ label: "0:call", resolved: { keys: [{ key: "generatedName", value: { t: "number", v: "2" } }] } }] };
    const [d] = differences(a, b);
    expect(d!.path).to.equal('.steps[0:call:resolved].resolved.keys["generatedName"].value.v');
    expect(d!.group).to.equal(".steps[call:resolved].resolved.keys[*].value.v");
    expect(knownEntry([{ family: "f", group: ".steps[call:resolved]*", reason: "r" }], "f", d!.group, "current")).to.not.equal(undefined);
    expect(knownEntry([{ family: "f", group: ".steps[call:resolved]*", reason: "r", profiles: ["2024-04-03"] }], "f", d!.group, "current")).to.equal(undefined);
  });

  it("normalisations only remove incidental detail: stack frames and V8's stack descriptor", () => {
    const data = { key: "stack", kind: "data", flags: "-wc", value: { t: "stack", firstLine: "Error: x", lines: 3 } };
    const accessor = { key: "stack", kind: "accessor", flags: "-c", get: true, set: true, read: { ok: { t: "stack", firstLine: "Error: x", lines: 1 } } };
    expect(normalise(data)).to.deep.equal(normalise(accessor));
    const other = { ...data, value: { t: "stack", firstLine: "Error: y", lines: 3 } };
    expect(normalise(other)).to.not.deep.equal(normalise(accessor));
  });

  it("every normalisation implements an entry of spec/incidental.md, which names it back", () => {
    const incidental = readFileSync(new URL("../../spec/incidental.md", import.meta.url), "utf8");
    const sections = [...incidental.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
    for (const n of NORMALISATIONS) {
      const section = n.incidental.split(":")[0]!.trim();
      expect(sections, `${n.name} cites "${n.incidental}"`).to.include(section);
      expect(incidental, `spec/incidental.md names the normalisation ${n.name}`).to.include(`\`${n.name}\``);
    }
  });

  it("normalisations keep what is normative: typeof, instanceof, other own keys, `in` for other keys, JSON of other objects", () => {
    const stub = (over: Record<string, unknown>) => normalise({ t: "function", id: 1, proto: ["RpcStub", "Object"], tag: "[object JsRpcStub]", instanceOf: ["Object"], keys: [], in: ["dup", "@@toStringTag"], string: "[object JsRpcStub]", ...over });
    expect(stub({})).to.deep.equal(stub({ tag: "[object Function]", string: "[object Function]", in: ["dup"] }));
    expect(stub({})).to.not.deep.equal(stub({ instanceOf: ["Object", "Function"] }));
    expect(stub({})).to.not.deep.equal(stub({ t: "object" }));
    expect(stub({})).to.not.deep.equal(stub({ in: ["@@toStringTag"] }));
    const error = (keys: unknown[], proto = "DOMException") => normalise({ t: "object", id: 1, proto: [proto, "Error", "Object"], keys, json: "{}" });
    const code = { key: "code", kind: "data", flags: "e-c", value: { t: "number", v: "25" } };
    expect(error([code])).to.deep.equal(error([]));
    expect(error([code], "Error")).to.not.deep.equal(error([], "Error"));
  });

  it("the outcomes lens looks past surface differences but not past how a step ended", () => {
    const stub = (tag: string) => ({ t: "function", id: 1, proto: ["X"], tag, keys: [], in: [] });
    const obs = (step: Record<string, unknown>) => ({ outcome: "answered", steps: [{ label: "get", ...step }], returned: [{ label: "get", shape: { tag: "x" } }] });
    expect(outcomesLens(obs({ resolved: stub("[object JsRpcStub]") }))).to.deep.equal(outcomesLens(obs({ resolved: stub("[object Function]") })));
    expect(outcomesLens(obs({ resolved: stub("a") }))).to.not.deep.equal(outcomesLens(obs({ rejected: stub("a") })));
    const plain = (v: string) => ({ t: "object", proto: ["Object"], keys: [{ key: "k", flags: "ewc", value: { t: "string", v } }] });
    expect(outcomesLens(obs({ resolved: plain("1") }))).to.not.deep.equal(outcomesLens(obs({ resolved: plain("2") })));
  });
});
