/**
 * Issue #7, broken runtimes under the suite: runtimes that break in the middle of a run (crash,
 * hang, answer garbage) still give a finished report, with `error`/`timeout` for the affected
 * tests only and the denominator unchanged, and the suite's process exits on its own.
 *
 * Runtimes that are broken from the start are covered by test/conformance/runtime-author.test.ts.
 * The suite runs tests one after another and boots one scenario per test at these --runs, so
 * "the Nth scenario breaks" picks out exactly which tests are affected (see the fixtures).
 * Durations are never asserted: the only clock is a far upper bound that only a hang would hit.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { runToExit } from "./bounds.ts";

/** Far above what a run of nine small tests takes on a slow machine; only a hung process reaches it. */
const HANG_BOUND_MS = 180_000;
const GREP = "^entrypoints/";

const conformance = (args: string[]) => runToExit("conformance/cli/conformance.ts", args, HANG_BOUND_MS);

describe("robustness: broken runtimes under the suite", function () {
  this.timeout(HANG_BOUND_MS + 30_000);
  let root: string;
  let ids: string[];
  let affectedTotal = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "wrc-broken-"));
    const list = await conformance(["--list", `--grep=${GREP}`]);
    ids = list.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]!);
    expect(ids.length, "tests selected").to.be.greaterThan(3);
  });
  after(() => {
    console.log(`broken runtimes: ${cases.length} mid-run breakages × ${ids.length} tests, ${affectedTotal} error/timeout outcomes, every report complete`);
    rmSync(root, { recursive: true, force: true });
  });

  const cases = [
    {
      adapter: "crashing-midrun",
      // Scenarios 1 and 2 work; the runtime then dies for good.
      expected: (index: number) => (index < 2 ? "pass" : "error"),
      message: /SIGSEGV \(simulated\)/,
    },
    {
      adapter: "hanging-midrun",
      // Only the second scenario hangs (its requests and its dispose); the run goes on past it.
      expected: (index: number) => (index === 1 ? "timeout" : "pass"),
      message: /deadline/,
    },
    {
      adapter: "stalling-start-midrun",
      // Only the second scenario never finishes booting.
      expected: (index: number) => (index === 1 ? "timeout" : "pass"),
      message: /deadline/,
    },
    {
      adapter: "garbage-midrun",
      // Only the second scenario's answers are not observations: a harness error, not a failure.
      expected: (index: number) => (index === 1 ? "error" : "pass"),
      message: /did not report an observation/,
    },
  ];

  for (const { adapter, expected, message } of cases) {
    it(`${adapter}: a finished report, only the affected tests error or time out, the denominator unchanged`, async () => {
      const dir = join(root, adapter);
      const run = await conformance([`--adapter=./test/fixtures/adapters/${adapter}.ts`, `--grep=${GREP}`, "--runs=3", "--deadline=10000", "--seed=7", `--report-dir=${dir}`]);
      expect(run.status, run.stderr).to.equal(1);
      const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
      expect(results.tests.map((t: { id: string }) => t.id), "every selected test is in the report, in order").to.deep.equal(ids);
      const outcomes = results.tests.map((t: { outcome: string }) => t.outcome);
      expect(outcomes).to.deep.equal(ids.map((_, index) => expected(index)));
      const totals = results.totals as Record<string, number>;
      expect(Object.values(totals).reduce((a, b) => a + b, 0), "the denominator").to.equal(ids.length);
      for (const test of results.tests.filter((t: { outcome: string }) => t.outcome !== "pass")) {
        expect(test.message, `${test.id}'s message says what broke`).to.match(message);
        affectedTotal++;
      }
      expect(readFileSync(join(dir, "summary.md"), "utf8")).to.include(ids[1]);
    });
  }
});
