/**
 * Verdicts that do not flake: expected failures are matched by which check failed, a failure of
 * any other check still fails the run, a never-settling case is a timeout with its own case, CI
 * runs use a fixed seed, and `--grep` runs merge their results.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { labelled, registeredTests, type ConformanceTest } from "../../conformance/engine/define.ts";
import { PROFILES } from "../../conformance/engine/profiles.ts";
import { buildResults } from "../../conformance/report/files.ts";
import { runSuite, type RunOptions } from "../../conformance/engine/runner.ts";
import { probeWorker } from "../../conformance/engine/scenario.ts";
import { ciSeed } from "../../conformance/engine/seed.ts";
import "../../conformance/tests/index.ts";
import { createBrokenAdapter } from "./broken-adapter.ts";
import { variantNamed } from "./variants/index.ts";

const entry = { reason: "r", seenOn: "1" };
const publicMethods = () => registeredTests().find((t) => t.id === "entrypoints/public-methods")!;

function run(options: Partial<RunOptions> & Pick<RunOptions, "tests">) {
  return runSuite({
    adapter: createBrokenAdapter(variantNamed("sync-result-not-thenable")),
    adapterSpec: "./test/conformance/broken-adapter.ts",
    profile: PROFILES.current!,
    expectations: { expectedFailures: {} },
    seed: 1,
    numRuns: 10,
    batchSize: 100,
    concurrency: 8,
    deadlineMs: 60_000,
    ...options,
  });
}

function conformance(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "conformance/cli/conformance.ts", ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, CI: "", ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("verdicts", function () {
  this.timeout(180_000);

  it("a failure names its check; an entry naming that check makes it expected on every seed, whatever value this seed shows", async () => {
    const expectations = {
      expectedFailures: { "entrypoints/public-methods": { ...entry, checks: ["the call must return a thenable"], observed: "a wrong value no run shows" } },
    };
    for (const seed of [1, 2, 3, 4, 5]) {
      const [result] = (await run({ tests: [publicMethods()], expectations, seed })).tests;
      expect(result!.outcome, `seed ${seed}: ${result!.message}`).to.equal("expectedFail");
      expect(result!.label).to.equal("entrypoints/public-methods › the call must return a thenable");
      expect(result!.failedChecks!.map((f) => f.check)).to.deep.equal(["the call must return a thenable"]);
      // The new wrong value is reported.
      expect(result!.message).to.include("expected false to equal true");
    }
  });

  it("the full label works in an entry too; a check the entry does not name is a real failure", async () => {
    const full = { expectedFailures: { "entrypoints/public-methods": { ...entry, checks: ["entrypoints/public-methods › the call must return a thenable"] } } };
    expect((await run({ tests: [publicMethods()], expectations: full })).tests[0]!.outcome).to.equal("expectedFail");
    const other = { expectedFailures: { "entrypoints/public-methods": { ...entry, checks: ["result"] } } };
    const [result] = (await run({ tests: [publicMethods()], expectations: other })).tests;
    expect(result!.outcome).to.equal("fail");
    expect(result!.message).to.match(/^failed a check its expectation does not name \("the call must return a thenable"; its expectation names "result"\)/);
  });

  it("a broken variant failing a check no entry names still exits 1; naming the check exits 0", () => {
    const dir = mkdtempSync(join(tmpdir(), "wrc-verdicts-"));
    const file = join(dir, "expectations.json");
    const args = ["--adapter=./test/conformance/broken-adapter.ts", "--adapter-option=variant=sync-result-not-thenable", "--grep=^entrypoints/public-methods$", "--runs=10", `--report-dir=${dir}/r`, `--expectations=${file}`];
    writeFileSync(file, JSON.stringify({ schemaVersion: 2, expectedFailures: { "entrypoints/public-methods": { ...entry, checks: ["result"] } } }));
    const wrong = conformance(args);
    expect(wrong.status, wrong.stderr).to.equal(1);
    expect(wrong.stderr).to.include("check: entrypoints/public-methods › the call must return a thenable");
    writeFileSync(file, JSON.stringify({ schemaVersion: 2, expectedFailures: { "entrypoints/public-methods": { ...entry, checks: ["the call must return a thenable"] } } }));
    const right = conformance(args);
    expect(right.status, right.stderr).to.equal(0);
  });

  it("a failure counts against the requirements of the check that failed", async () => {
    const test: ConformanceTest<number> = {
      id: "synthetic/two-checks",
      title: "two checks about two requirements",
      requirements: ["REQ-A", "REQ-B"],
      arbitrary: fc.integer({ min: 0, max: 100 }),
      scenario: (n) => ({ workers: [probeWorker("probe", `return respond(${n});`)], probe: "probe" }),
      check(n, observed) {
        labelled("the value came back", ["REQ-A"], () => expect(observed).to.equal(n));
        expect(n, "small enough").to.be.below(50);
      },
      checks: { "small enough": ["REQ-B"] },
    };
    const runResult = await run({ tests: [test], adapter: createReferenceAdapter(), numRuns: 50 });
    const [result] = runResult.tests;
    expect(result!.outcome).to.equal("fail");
    expect(result!.check).to.equal("small enough");
    expect(result!.failingRequirements).to.deep.equal(["REQ-B"]);
    const spec = ["REQ-A", "REQ-B"].map((id) => ({ id, title: id, chapter: "synthetic", testable: true }) as any);
    const results = buildResults(runResult, { adapterName: "reference", adapterSpec: "reference", profile: PROFILES.current!, seed: 1 }, spec);
    expect(results.requirements["REQ-A"]!.outcome).to.equal("pass");
    expect(results.requirements["REQ-B"]!.outcome).to.equal("fail");
    // Shrinking kept the check: the counterexample is the smallest failing value.
    expect(result!.counterexample).to.equal("50");
  });

  it("a case that never settles is a timeout with its own counterexample, not shrunk into another failure", async () => {
    const test: ConformanceTest<number> = {
      id: "synthetic/hangs",
      title: "hangs for large values",
      requirements: ["REQ-A"],
      arbitrary: fc.integer({ min: 0, max: 100 }),
      // A probe whose value is at least 90 never answers; values from 50 fail the check.
      scenario: (n) => ({ workers: [probeWorker("probe", `${n >= 90 ? "await new Promise(() => {});" : ""}\nreturn respond(${n});`)], probe: "probe" }),
      check(n) {
        expect(n, "small enough").to.be.below(50);
      },
    };
    const [result] = (await run({ tests: [test], adapter: createReferenceAdapter(), numRuns: 100, probeDeadlineMs: 300 })).tests;
    expect(result!.outcome, result!.message).to.equal("timeout");
    expect(Number(result!.counterexample)).to.be.at.least(90);
    expect(result!.path).to.match(/^\d+$/);
    expect(result!.message).to.include("did not answer within 300 ms");
    expect(result!.replay).to.include(`--path=${result!.path}`);
  });

  it("with CI set, two runs print the same seed and give identical outcomes", () => {
    const dir = mkdtempSync(join(tmpdir(), "wrc-ci-"));
    const outcomes = (d: string) => (JSON.parse(readFileSync(join(d, "results.json"), "utf8")).tests as { id: string; outcome: string; seed: number }[]).map((t) => [t.id, t.outcome, t.seed]);
    const args = ["--adapter=./test/conformance/broken-adapter.ts", "--adapter-option=variant=sync-result-not-thenable", "--grep=^entrypoints/", "--runs=10"];
    const a = conformance([...args, `--report-dir=${dir}/a`], { CI: "true" });
    const b = conformance([...args, `--report-dir=${dir}/b`], { CI: "true" });
    const seedOf = (stderr: string) => /seed (-?\d+) \(fixed for CI/.exec(stderr)?.[1];
    expect(seedOf(a.stderr), a.stderr).to.equal(String(ciSeed()));
    expect(seedOf(b.stderr)).to.equal(seedOf(a.stderr));
    expect(a.status).to.equal(b.status);
    expect(outcomes(`${dir}/b`)).to.deep.equal(outcomes(`${dir}/a`));
    expect(conformance([...args, `--report-dir=${dir}/c`, "--seed=random"], { CI: "true" }).stderr).to.match(/seed -?\d+ \(random \(--seed=random\)\)/);
  });

  it("runs limited by --grep merge into the results already in the report folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "wrc-merge-"));
    expect(conformance(["--grep=^env/", "--runs=5", `--report-dir=${dir}`]).status).to.equal(0);
    expect(conformance(["--grep=^errors/", "--runs=5", `--report-dir=${dir}`]).status).to.equal(0);
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    const chapters = new Set(results.tests.map((t: { chapter: string }) => t.chapter));
    expect([...chapters]).to.have.members(["env", "errors"]);
    expect(results.runs.map((r: { grep: string }) => r.grep)).to.deep.equal(["^env/", "^errors/"]);
    expect(results.totals.pass).to.equal(results.tests.length);
  });
});
