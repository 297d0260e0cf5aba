/**
 * The conformance CLI as a user meets it: exit codes, the replay command a failure prints, and
 * that replaying it reproduces the same counterexample.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function conformance(args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "conformance/cli/conformance.ts", ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("conformance CLI", function () {
  this.timeout(180_000);

  it("exits 2 and lists the known adapters for an unknown adapter", () => {
    const r = conformance(["--adapter=nonesuch"]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('unknown adapter "nonesuch"');
    expect(r.stderr).to.include("reference").and.include("workerd");
  });

  it("exits 2 on an unknown option and on a malformed seed", () => {
    expect(conformance(["--nope"]).status).to.equal(2);
    const r = conformance(["--seed=abc"]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include("--seed expects an integer");
  });

  it("prints seed, path and a replay command on failure, and the replay reproduces the counterexample", () => {
    const dir = mkdtempSync(join(tmpdir(), "wrc-cli-"));
    const first = conformance(["--adapter=./test/conformance/broken-adapter.ts", "--adapter-option=variant=reuse-instance", "--grep=^entrypoints/new-instance$", "--seed=77", "--runs=30", `--report-dir=${dir}/a`]);
    expect(first.status, first.stderr).to.equal(1);
    const replay = /replay: (npm run conformance -- .*)$/m.exec(first.stderr)?.[1];
    expect(replay, first.stderr).to.be.a("string");
    expect(replay).to.include("--seed=77").and.include("--path=").and.include("--adapter=./test/conformance/broken-adapter.ts", "--adapter-option=variant=reuse-instance");
    const a = JSON.parse(readFileSync(join(dir, "a", "results.json"), "utf8"));
    const failed = a.tests[0];
    expect(failed.outcome).to.equal("fail");

    // Run the printed command (minus "npm run conformance --" and the shell quoting).
    const args = replay!
      .replace(/^npm run conformance -- /, "")
      .split(" ")
      .map((s) => s.replace(/^(--grep=)'(.*)'$/, "$1$2"));
    const second = conformance([...args, `--report-dir=${dir}/b`]);
    expect(second.status, second.stderr).to.equal(1);
    const b = JSON.parse(readFileSync(join(dir, "b", "results.json"), "utf8"));
    expect(b.tests[0].counterexample, "the replayed counterexample").to.equal(failed.counterexample);
  });
});
