/**
 * An outside adapter written from conformance/ADAPTERS.md alone (test/fixtures/adapters/
 * imaginary-mirage.ts, for an imaginary in-Node runtime) runs part of the suite: it imports only
 * what the page documents, takes an option, declares an emulated requirement, and a failure it
 * produces names what went wrong.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FIXTURE = "test/fixtures/adapters/imaginary-mirage.ts";

function conformance(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "conformance/cli/conformance.ts", ...args], { encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("an adapter for an imaginary runtime, from ADAPTERS.md alone", function () {
  this.timeout(300_000);

  it("imports only Node built-ins and the package's documented entry point", () => {
    const source = readFileSync(FIXTURE, "utf8");
    const specifiers = [...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
    expect(specifiers).to.not.be.empty;
    for (const s of specifiers) expect(s, `import of ${s}`).to.match(/^(node:|workers-rpc-conformance$)/);
    const documented = readFileSync("conformance/ADAPTERS.md", "utf8");
    for (const name of ["bundleWorker", "evaluateWorker", "respond", "ADAPTER_CONTRACT_VERSION", "emulates", "--adapter-option"]) {
      expect(documented, `ADAPTERS.md documents ${name}`).to.include(name);
    }
  });

  it("runs the entrypoints and env chapters: passes, a readable failure, its option and its emulated requirement in results.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "wrc-mirage-"));
    const r = conformance([`--adapter=./${FIXTURE}`, "--adapter-option=flavour=salty", "--grep=^(entrypoints|env)/", "--runs=5", "--seed=7", `--report-dir=${dir}`]);
    expect(r.status, r.stderr).to.equal(1); // Mirage does not implement everything: some tests fail
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(results.adapter.name).to.equal("mirage");
    expect(results.adapter.options).to.deep.equal({ flavour: "salty" });
    expect(results.adapter.details.flavour).to.equal("salty");
    expect(results.adapter.emulates).to.have.property("CTX-PROPS");
    expect(results.totals.error, "no adapter errors").to.equal(0);
    expect(results.totals.timeout).to.equal(0);
    expect(results.totals.pass).to.be.greaterThan(5);
    const passing = results.tests.filter((t: any) => t.outcome === "pass").map((t: any) => t.id);
    expect(passing).to.include.members(["entrypoints/new-instance", "env/vars"]);
    for (const t of results.tests.filter((x: any) => x.outcome === "fail")) {
      expect(t.message, `${t.id} says what went wrong`).to.be.a("string").and.not.be.empty;
      expect(t.replay).to.include("--adapter-option=flavour=salty");
    }
  });

  it("refuses an option it does not know, with its own message and exit status 2", () => {
    const r = conformance([`--adapter=./${FIXTURE}`, "--adapter-option=colour=red", "--grep=^env/vars$", "--runs=1", `--report-dir=${mkdtempSync(join(tmpdir(), "wrc-mirage-"))}`]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include("refused its --adapter-option values").and.include('mirage: unknown option "colour"');
  });
});
