/**
 * `npm run diff` as a user meets it: exit status, the replay line, the summary it writes.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const diff = (...args: string[]) => spawnSync("npx", ["tsx", "conformance/diff/cli.ts", ...args], { encoding: "utf8" });

describe("npm run diff", function () {
  this.timeout(300_000);

  it("exits 2 with the usage on bad arguments", () => {
    const r = diff("--adapters=reference");
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include("--adapters needs two adapters");
    expect(diff("--adapters=reference,reference", "--grep=^nothing$").stderr).to.include("matches no family");
  });

  it("exits 0 when the runtimes agree and 1 on a new divergence, printing seed, path and the replay command", () => {
    const dir = mkdtempSync(join(tmpdir(), "diff-cli-"));
    try {
      const same = diff("--adapters=reference,reference", "--grep=^throws$", "--runs=3", "--seed=2", `--report-dir=${dir}/same`);
      expect(same.status, same.stderr).to.equal(0);
      expect(readFileSync(join(dir, "same", "summary.md"), "utf8")).to.include("0 divergence groups");
      const planted = diff("--adapters=reference,./test/fixtures/adapters/planted-divergence.ts", "--grep=^values$", "--runs=30", "--seed=5", "--shrink-budget=5", `--report-dir=${dir}/planted`);
      expect(planted.status, planted.stderr).to.equal(1);
      expect(planted.stdout).to.match(/NEW divergence values /);
      expect(planted.stdout).to.match(/replay: npm run diff -- --adapters=reference,\.\/test\/fixtures\/adapters\/planted-divergence\.ts --profile=current --grep='\^values\$' --seed=5 --runs=30 --path=\S+/);
      const summary = JSON.parse(readFileSync(join(dir, "planted", "summary.json"), "utf8"));
      expect(summary.groups.length).to.be.greaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
