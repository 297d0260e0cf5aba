/**
 * Sharding: `--shard=i/n` splits the selected tests deterministically, and `merge` puts n shard
 * runs back together into exactly what one unsharded run with the same seed reports.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { registeredTests } from "../../conformance/engine/define.ts";
import { resolveProfile } from "../../conformance/engine/profiles.ts";
import { buildResults, type ResultsFile, type TimingsFile } from "../../conformance/report/files.ts";
import { runSuite, type RunOptions } from "../../conformance/engine/runner.ts";
import { assignShards, loadDurations, mergeShardResults, parseShard, shardTests, ShardError, type ShardResultsFile } from "../../conformance/engine/shard.ts";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { queueOrder } from "../../conformance/engine/jobs.ts";
import { loadSpec } from "../../spec/index.ts";
import "../../conformance/tests/index.ts";
import { createBrokenAdapter } from "./broken-adapter.ts";
import { variantNamed } from "./variants/index.ts";

const spec = loadSpec();
const profile = resolveProfile("current");
const ids = registeredTests().map((t) => t.id);

/** What two runs must agree on: per-test outcomes and run counts, totals, the requirement table. */
function comparable(r: ResultsFile) {
  return {
    tests: r.tests.map((t) => ({ id: t.id, outcome: t.outcome, numRuns: t.numRuns, seed: t.seed, counterexample: t.counterexample })),
    totals: r.totals,
    requirements: r.requirements,
  };
}

describe("sharding and merging", function () {
  this.timeout(300_000);

  it("parses i/n and refuses anything else", () => {
    expect(parseShard("2/4")).to.deep.equal({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3"]) expect(() => parseShard(bad), bad).to.throw(ShardError);
  });

  it("puts every test in exactly one shard, the same way every time, balanced by recorded durations", () => {
    for (const n of [1, 2, 3, 4, 7]) {
      const shards = Array.from({ length: n }, (_, i) => shardTests(registeredTests(), { index: i + 1, count: n }).map((t) => t.id));
      expect(shards.flat().sort()).to.deep.equal([...ids].sort());
      // In suite order within a shard.
      for (const s of shards) expect(s).to.deep.equal(ids.filter((id) => s.includes(id)));
      expect(Math.max(...shards.map((s) => s.length)) - Math.min(...shards.map((s) => s.length))).to.be.at.most(1);
      const again = Array.from({ length: n }, (_, i) => shardTests(registeredTests(), { index: i + 1, count: n }).map((t) => t.id));
      expect(again).to.deep.equal(shards);
    }
    // One test takes as long as all others together: it gets a shard to itself.
    const durations = new Map(ids.map((id) => [id, 100]));
    durations.set(ids[5]!, 100 * (ids.length - 1));
    const plan = assignShards(ids, 2, durations);
    const alone = ids.filter((id) => plan.get(id) === plan.get(ids[5]!));
    expect(alone).to.deep.equal([ids[5]]);
  });

  it("--jobs hands the longest recorded tests out first, the rest in suite order", () => {
    const tests = ids.slice(0, 6).map((id) => ({ id }));
    expect(queueOrder(tests).map((t) => t.id)).to.deep.equal(ids.slice(0, 6));
    const durations = new Map([[ids[4]!, 50], [ids[2]!, 900], [ids[5]!, 50]]);
    expect(queueOrder(tests, durations).map((t) => t.id)).to.deep.equal([ids[2], ids[4], ids[5], ids[0], ids[1], ids[3]]);
  });

  it("n shard runs merged give the outcomes, totals and requirement table of one unsharded run with the same seed", async () => {
    // A broken variant, so that the runs have failures (with counterexamples) as well as passes.
    const options = (tests: RunOptions["tests"]): RunOptions => ({
      adapter: createBrokenAdapter(variantNamed("shared-ctx")),
      adapterSpec: "reference",
      profile,
      tests,
      expectations: { expectedFailures: {} },
      seed: 4242,
      numRuns: 8,
      batchSize: 100,
      concurrency: 8,
      deadlineMs: 120_000,
    });
    const meta = { adapterName: "reference", adapterSpec: "reference", profile, seed: 4242, numRuns: 8 };
    const whole = buildResults(await runSuite(options(registeredTests())), meta, spec);
    expect(whole.totals.fail, "the broken variant makes some tests fail").to.be.greaterThan(0);
    expect(whole.totals.pass).to.be.greaterThan(0);

    const n = 3;
    const shards: { dir: string; results: ShardResultsFile }[] = [];
    for (let i = 1; i <= n; i++) {
      const shard = { index: i, count: n };
      const results = { ...buildResults(await runSuite(options(shardTests(registeredTests(), shard))), meta, spec), shard };
      expect(results.tests.length).to.be.lessThan(ids.length);
      shards.push({ dir: `shard-${i}`, results });
    }
    const merged = mergeShardResults(shards, registeredTests(), spec);
    expect(comparable(merged)).to.deep.equal(comparable(whole));

    expect(() => mergeShardResults(shards.slice(1), registeredTests(), spec)).to.throw(ShardError, /no shard ran/);
    expect(() => mergeShardResults([...shards, shards[0]!], registeredTests(), spec)).to.throw(ShardError, /ran in both/);
    const otherSeed = { dir: "other", results: { ...shards[0]!.results, seed: 1 } };
    expect(() => mergeShardResults([otherSeed, ...shards.slice(1)], registeredTests(), spec)).to.throw(ShardError, /same seed/);
  });

  it("from the command line: --shard runs a share, merge writes results, summary and JUnit with the totals of one run; --jobs=2 too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wrc-shard-"));
    const common = ["--grep=^entrypoints/", "--seed=99", "--runs=5", "--adapter=./test/conformance/broken-adapter.ts", "--adapter-option=variant=reuse-instance", "--reporter=json"];
    const cli = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "conformance/cli/conformance.ts", ...args], { encoding: "utf8", timeout: 120_000 });
    for (const i of [1, 2]) {
      const r = cli([...common, `--shard=${i}/2`, `--report-dir=${join(dir, `s${i}`)}`, "--durations=/nonexistent/results.json"]);
      expect(r.status, r.stderr).to.be.oneOf([0, 1]);
    }
    const merge = cli(["merge", `--report-dir=${join(dir, "merged")}`, join(dir, "s1"), join(dir, "s2")]);
    expect(merge.status, merge.stderr).to.equal(1); // the fault makes entrypoints/new-instance fail
    for (const f of ["results.json", "summary.md", "junit.xml"]) expect(existsSync(join(dir, "merged", f)), f).to.equal(true);
    const merged = JSON.parse(readFileSync(join(dir, "merged", "results.json"), "utf8")) as ResultsFile;

    const tests = registeredTests().filter((t) => /^entrypoints\//.test(t.id));
    const whole = buildResults(
      await runSuite({
        adapter: createBrokenAdapter(variantNamed("reuse-instance")),
        adapterSpec: "reference",
        profile,
        tests,
        expectations: { expectedFailures: {} },
        seed: 99,
        numRuns: 5,
        batchSize: 100,
        concurrency: 8,
        deadlineMs: 120_000,
      }),
      { adapterName: "reference", adapterSpec: "reference", profile, seed: 99, numRuns: 5, grep: "^entrypoints/" },
      spec,
    );
    expect(comparable(merged)).to.deep.equal(comparable(whole));
    const junit = readFileSync(join(dir, "merged", "junit.xml"), "utf8");
    expect(junit).to.include(`tests="${tests.length}"`);

    // --jobs=2 shares the tests between two processes (from one queue), and its report says the same.
    const jobs = cli([...common, "--jobs=2", `--report-dir=${join(dir, "jobs")}`, "--durations=/nonexistent/results.json"]);
    expect(jobs.status, jobs.stderr).to.equal(1);
    const jobsResults = JSON.parse(readFileSync(join(dir, "jobs", "results.json"), "utf8")) as ResultsFile;
    expect(comparable(jobsResults)).to.deep.equal(comparable(whole));
    const failing = jobsResults.tests.filter((t) => t.outcome === "fail");
    expect(failing.length).to.be.greaterThan(0);
    // Failures get a repro bundle by default, its path relative to the working directory (as
    // results.json keeps every path), whichever job ran the test; so do the merged shards'.
    for (const [folder, results] of [["jobs", jobsResults], ["merged", merged]] as const) {
      for (const t of results.tests.filter((t) => t.outcome === "fail")) {
        expect(t.repro, `${folder}: ${t.id}'s repro bundle`).to.be.a("string");
        expect(isAbsolute(t.repro!), t.repro).to.equal(false);
        expect(resolve(t.repro!).startsWith(join(dir, folder, "repro")), t.repro).to.equal(true);
        expect(existsSync(join(t.repro!, "README.md")), t.repro).to.equal(true);
      }
    }
    expect(merged.tests.some((t) => t.outcome === "fail")).to.equal(true);
    // A failure found by a job prints the replay command a one-process run prints: no --shard or
    // --jobs in it, and run as printed it finds the same counterexample.
    const [first] = failing;
    expect(first!.replay).to.be.a("string");
    expect(first!.replay).not.to.match(/--shard|--jobs|--report-dir/);
    const replayArgs = [...first!.replay!.matchAll(/--[\w-]+=(?:'[^']*'|\S+)/g)].map(([a]) => a.replace(/='(.*)'$/, "=$1"));
    const replay = cli([...replayArgs, `--report-dir=${join(dir, "replay")}`, "--reporter=json"]);
    expect(replay.status, replay.stderr).to.equal(1);
    const replayed = (JSON.parse(replay.stdout) as ResultsFile).tests;
    expect(replayed.map((t) => [t.id, t.outcome, t.counterexample])).to.deep.equal([[first!.id, "fail", first!.counterexample]]);
    // The wall clock stays out of results.json; merge reads it back from the shards' timings.json.
    expect(merged.durationMs).to.equal(undefined);
    const mergedTimings = JSON.parse(readFileSync(join(dir, "merged", "timings.json"), "utf8")) as TimingsFile;
    expect(mergedTimings.durationMs).to.be.a("number");
    expect(Object.keys(mergedTimings.tests)).to.deep.equal(tests.map((t) => t.id));
    // A timings.json balances the next split: given as itself or as the results.json beside it.
    expect(loadDurations(join(dir, "merged", "results.json"))).to.deep.equal(new Map(Object.entries(mergedTimings.tests)));
    expect(loadDurations(join(dir, "merged", "timings.json"))).to.deep.equal(new Map(Object.entries(mergedTimings.tests)));

    const incomplete = cli(["merge", `--report-dir=${join(dir, "bad")}`, join(dir, "s1")]);
    expect(incomplete.status).to.equal(2);
    expect(incomplete.stderr).to.include("no shard ran");
  });
});
