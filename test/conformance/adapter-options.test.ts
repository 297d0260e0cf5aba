/**
 * Built-in adapter registration, `--adapter-option`, variant names and requirements an adapter
 * declares it emulates (Adapter.emulates) as they reach results.json, summary.md and the matrix.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILTIN_ADAPTERS, UnknownAdapterError, parseAdapterOptions, resolveAdapter } from "../../conformance/adapters/index.ts";
import { CAPNWEB_EMULATES } from "../../conformance/adapters/capnweb.ts";
import { loadSpec } from "../../spec/index.ts";

function conformance(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "conformance/cli/conformance.ts", ...args], { encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("adapter options, variants and emulated requirements", function () {
  this.timeout(300_000);

  it("capnweb and capnweb-string are built in; the transport option picks the variant's name", async () => {
    expect(BUILTIN_ADAPTERS).to.have.property("capnweb");
    expect(BUILTIN_ADAPTERS).to.have.property("capnweb-string");
    expect((await resolveAdapter("capnweb")).name).to.equal("capnweb");
    expect((await resolveAdapter("capnweb-string")).name).to.equal("capnweb-string");
    expect((await resolveAdapter("capnweb", { transport: "string" })).name).to.equal("capnweb-string");
    expect((await resolveAdapter("capnweb-string", { transport: "messageport" })).name).to.equal("capnweb");
    const info = await (await resolveAdapter("capnweb-string")).runtime();
    expect(info.name).to.equal("capnweb");
    expect(info.version).to.match(/^0\.12\./);
    expect(info.details?.transport).to.match(/^string/);
  });

  it("bad options are refused with the option's name; adapters without options refuse any", async () => {
    await expectRefusal(() => resolveAdapter("capnweb", { transport: "carrier-pigeon" }), /transport=carrier-pigeon: expected one of messageport, string/);
    await expectRefusal(() => resolveAdapter("capnweb", { colour: "red" }), /unknown adapter option "colour" for capnweb; known options: transport, probe-timeout/);
    await expectRefusal(() => resolveAdapter("reference", { transport: "string" }), /adapter "reference" takes no --adapter-option/);
    expect(() => parseAdapterOptions(["transport"])).to.throw(UnknownAdapterError, /expects key=value/);
    expect(parseAdapterOptions(["a=b=c", "d="])).to.deep.equal({ a: "b=c", d: "" });
  });

  it("the CLI refuses a bad option with exit status 2 and lists each adapter's options in --help", () => {
    const bad = conformance(["--adapter=capnweb", "--adapter-option=transport=smoke", "--grep=^env/vars$"]);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.include("transport=smoke");
    const help = conformance(["--help"]);
    expect(help.stdout).to.include("--adapter-option").and.include("capnweb: transport=");
  });

  it("capnweb's emulated requirements are real requirement IDs", () => {
    const ids = new Set(loadSpec().map((r) => r.id));
    for (const id of Object.keys(CAPNWEB_EMULATES)) expect(ids.has(id), id).to.equal(true);
  });

  it("a run shows options and emulated requirements in results.json, summary.md and the matrix", () => {
    const root = mkdtempSync(join(tmpdir(), "wrc-emulated-"));
    const dir = join(root, "reports", "capnweb-string");
    mkdirSync(dir, { recursive: true });
    const r = conformance(["--adapter=capnweb", "--adapter-option=transport=string", "--grep=^ctx/props$", "--runs=3", "--seed=5", `--report-dir=${dir}`]);
    expect(r.status, r.stderr).to.equal(0);
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(results.adapter.name).to.equal("capnweb-string");
    expect(results.adapter.options).to.deep.equal({ transport: "string" });
    expect(results.adapter.emulates).to.deep.equal(CAPNWEB_EMULATES);
    expect(results.requirements["CTX-PROPS"].outcome).to.equal("pass");
    expect(results.requirements["CTX-PROPS"].emulated).to.equal(CAPNWEB_EMULATES["CTX-PROPS"]);
    expect(results.requirements["ENTRY-ARGUMENTS"].emulated, "only what the adapter declares").to.equal(undefined);
    expect(results.tests[0].replay ?? "").to.equal("");
    const summary = readFileSync(join(dir, "summary.md"), "utf8");
    expect(summary).to.include("Adapter options: `transport=string`").and.include("**Emulated by the adapter**");
    expect(summary).to.match(/CTX-PROPS: [^|]*\| pass \*\(emulated\)\*/);
    const html = readFileSync(join(root, "reports", "index.html"), "utf8");
    expect(html).to.include('class="emulated"').and.include("capnweb-string");
  });
});

async function expectRefusal(make: () => Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await make();
  } catch (error) {
    expect(error).to.be.instanceOf(UnknownAdapterError);
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail("expected the adapter to be refused");
}
