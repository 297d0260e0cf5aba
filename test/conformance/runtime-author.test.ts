/**
 * The loop of a runtime author — run, read, reproduce, fix, rerun — with deliberately broken
 * adapters loaded by path, as an outside author's adapter would be.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function run(script: string, args: string[], timeout = 120_000) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8", timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const conformance = (args: string[]) => run("conformance/cli/conformance.ts", args);
const results = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));

describe("a runtime author's loop", function () {
  this.timeout(300_000);
  const root = mkdtempSync(join(tmpdir(), "wrc-author-"));
  const broken = "./test/fixtures/adapters/broken-reference.ts";
  const grep = "--grep=^entrypoints/";

  it("a failing adapter: non-zero exit; failures in results.json, summary.md, index.html and junit.xml; a repro bundle that reproduces on its own", () => {
    const dir = join(root, "reports", "broken");
    const r = conformance([`--adapter=${broken}`, grep, "--seed=3", "--runs=20", `--report-dir=${dir}`, "--reporter=junit"]);
    expect(r.status, r.stderr).to.equal(1);
    const json = results(dir);
    const failing = json.tests.filter((t: any) => t.outcome === "fail").map((t: any) => t.id);
    expect(failing).to.include.members(["entrypoints/new-instance", "entrypoints/stateless"]);
    expect(json.totals.fail).to.equal(failing.length);
    expect(json.requirements["ENTRY-NEW-INSTANCE"].outcome).to.equal("fail");
    const summary = readFileSync(join(dir, "summary.md"), "utf8");
    expect(summary).to.include("entrypoints/new-instance — fail").and.include("Replay: `npm run conformance --");
    const junit = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(junit).to.match(/<failure[^>]*>/).and.include("entrypoints/new-instance");
    expect(r.stdout, "--reporter=junit prints the XML").to.include("<testsuite");
    const html = readFileSync(join(root, "reports", "index.html"), "utf8");
    expect(html).to.include("ENTRY-NEW-INSTANCE").and.include("broken-reference");

    const test = json.tests.find((t: any) => t.id === "entrypoints/new-instance");
    expect(test.repro, "repro bundle path").to.be.a("string");
    const bundle = test.repro as string;
    expect(readdirSync(bundle)).to.include.members(["README.md", "bundle.json"]);
    const readme = readFileSync(join(bundle, "README.md"), "utf8");
    expect(readme).to.include("npm run repro --").and.include("npm run reference --").and.include("wrangler.toml");
    const manifest = JSON.parse(readFileSync(join(bundle, "bundle.json"), "utf8"));
    for (const w of manifest.workers) expect(existsSync(join(bundle, w, "wrangler.toml"))).to.equal(true);
    // No copy of the harness: npm run repro supplies it to the workers the manifest names.
    expect(manifest.harness).to.include(manifest.probe);
    for (const w of manifest.workers) expect(existsSync(join(bundle, w, "harness.js")), `${w}/harness.js`).to.equal(false);
    expect(readme).to.include("conformance/harness/harness.js");

    // The bundle alone reproduces: on the broken runtime the probe sees one reused instance…
    const onBroken = run("conformance/cli/repro.ts", [bundle, `--adapter=${broken}`]);
    expect(onBroken.status, onBroken.stderr).to.equal(0);
    expect(onBroken.stdout.trim(), "observation on the broken runtime").to.equal(test.observed);
    // …and on the reference each call sees a fresh one.
    const onReference = run("conformance/cli/repro.ts", [bundle]);
    expect(onReference.status, onReference.stderr).to.equal(0);
    expect(onReference.stdout.trim()).to.not.equal(test.observed);
  });

  it("the printed replay command reproduces the same counterexample", () => {
    const dir = join(root, "replay");
    const first = conformance([`--adapter=${broken}`, "--grep=^entrypoints/stateless$", "--seed=11", "--runs=20", `--report-dir=${dir}/a`]);
    const replay = /replay: npm run conformance -- (.*)$/m.exec(first.stderr)?.[1];
    expect(replay, first.stderr).to.be.a("string");
    const args = replay!.split(" ").map((s) => s.replace(/^(--grep=)'(.*)'$/, "$1$2"));
    conformance([...args, `--report-dir=${dir}/b`]);
    expect(results(`${dir}/b`).tests[0].counterexample).to.equal(results(`${dir}/a`).tests[0].counterexample);
  });

  it("an expectations file turns a known failure into expectedFail, pins the failing check, and reports unexpected passes", () => {
    const dir = join(root, "expect");
    const file = join(root, "broken-reference.json");
    const skeletonSource = join(root, "reports", "broken", "results.json");
    const skeleton = conformance([`--skeleton-from=${skeletonSource}`]);
    expect(skeleton.status, skeleton.stderr).to.equal(0);
    const generated = JSON.parse(skeleton.stdout);
    expect(generated.expectedFailures["entrypoints/new-instance"].reason).to.match(/^TODO/);

    const entry = { reason: "instances are pooled", seenOn: "0.1.0", checks: generated.expectedFailures["entrypoints/new-instance"].checks };
    expect(entry.checks, "the skeleton names the failing check").to.deep.equal(["instance serial numbers seen by successive calls"]);
    writeFileSync(file, JSON.stringify({ expectedFailures: { "entrypoints/new-instance": entry } }));
    const ok = conformance([`--adapter=${broken}`, "--grep=^entrypoints/new-instance$", "--seed=3", "--runs=20", `--report-dir=${dir}/a`, `--expectations=${file}`]);
    expect(ok.status, ok.stderr).to.equal(0);
    expect(results(`${dir}/a`).tests[0].outcome).to.equal("expectedFail");

    writeFileSync(file, JSON.stringify({ expectedFailures: { "entrypoints/new-instance": { ...entry, checks: ["some other check"] } } }));
    const changed = conformance([`--adapter=${broken}`, "--grep=^entrypoints/new-instance$", "--seed=3", "--runs=20", `--report-dir=${dir}/b`, `--expectations=${file}`]);
    expect(changed.status).to.equal(1);
    expect(results(`${dir}/b`).tests[0].outcome).to.equal("fail");

    writeFileSync(file, JSON.stringify({ expectedFailures: { "entrypoints/arguments": { reason: "thought broken", seenOn: "0.1.0" } } }));
    const surprise = conformance([`--adapter=${broken}`, "--grep=^entrypoints/arguments$", "--runs=10", `--report-dir=${dir}/c`, `--expectations=${file}`]);
    expect(surprise.status).to.equal(1);
    expect(results(`${dir}/c`).tests[0].outcome).to.equal("unexpectedPass");
    const updated = conformance([`--adapter=${broken}`, "--grep=^entrypoints/arguments$", "--runs=10", `--report-dir=${dir}/d`, `--expectations=${file}`, "--update-expectations"]);
    expect(updated.status, updated.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(file, "utf8")).expectedFailures).to.deep.equal({});

    writeFileSync(file, JSON.stringify({ expectedFailures: { "entrypoints/arguments": { seenOn: "0.1.0" } } }));
    const noReason = conformance([`--adapter=${broken}`, "--grep=^entrypoints/arguments$", "--runs=5", `--report-dir=${dir}/e`, `--expectations=${file}`]);
    expect(noReason.status).to.equal(1);
    expect(noReason.stderr).to.include("every expected failure needs a reason");
  });

  for (const [name, outcome] of [
    ["hanging", "timeout"],
    ["crashing", "error"],
    ["garbage", "error"],
  ] as const) {
    it(`a ${name} runtime yields a finished report: every test ${outcome}, the denominator unchanged`, () => {
      const dir = join(root, name);
      const all = conformance(["--list"]).stdout.trim().split("\n").filter((l) => l.startsWith("entrypoints/")).length;
      const started = Date.now();
      const r = conformance([`--adapter=./test/fixtures/adapters/${name}.ts`, grep, "--runs=3", "--deadline=2000", `--report-dir=${dir}`]);
      expect(r.status, r.stderr).to.equal(1);
      const json = results(dir);
      expect(json.tests.length, "tests in the report").to.equal(all);
      expect(json.tests.map((t: any) => t.outcome)).to.deep.equal(json.tests.map(() => outcome));
      expect(json.totals[outcome]).to.equal(all);
      expect(Date.now() - started, "the run finishes within the per-test deadlines").to.be.below(all * 2000 + 30_000);
    });
  }
});
