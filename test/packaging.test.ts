/**
 * The suite as another project meets it: packed, installed into a fresh project without the
 * optional peers (miniflare, workerd, wrangler), run through its bin with an adapter written in
 * that project, in TypeScript, importing the package's public surface. The install's size is
 * printed, not asserted: README.md records the measured figure.
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("packaging", function () {
  this.timeout(300_000);

  it("npx workers-rpc-conformance --adapter=./my-adapter.ts works from a project that installs the package", () => {
    const dir = mkdtempSync(join(tmpdir(), "wrc-pack-"));
    execFileSync("npm", ["pack", "--pack-destination", dir], { stdio: "ignore" });
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const project = join(dir, "project");
    execFileSync("mkdir", [project]);
    // The project denies esbuild's postinstall, as this repository does: its binary arrives as an optional dependency.
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "outside-runtime", private: true, type: "module", allowScripts: { esbuild: false } }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tarball)], { cwd: project, stdio: "ignore" });
    for (const optional of ["miniflare", "workerd", "wrangler"]) {
      expect(existsSync(join(project, "node_modules", optional)), `${optional} is an optional peer, not installed with the suite`).to.equal(false);
    }
    const size = execFileSync("du", ["-sm", "node_modules"], { cwd: project, encoding: "utf8" }).split("\t")[0];
    console.log(`      (the packed suite installs ${size} MB of node_modules)`);
    writeFileSync(
      join(project, "my-adapter.ts"),
      `import { ADAPTER_CONTRACT_VERSION, type Adapter } from "workers-rpc-conformance";
import { createReferenceAdapter } from "workers-rpc-conformance/adapters";
export default function createAdapter(): Adapter {
  const inner = createReferenceAdapter();
  return { name: "my-runtime", contractVersion: ADAPTER_CONTRACT_VERSION, runtime: async () => ({ name: "my-runtime", version: "9.9.9" }), start: (s) => inner.start(s) };
}
`,
    );
    const r = spawnSync("npx", ["workers-rpc-conformance", "--adapter=./my-adapter.ts", "--grep=^env/", "--runs=5"], { cwd: project, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    const results = JSON.parse(readFileSync(join(project, "reports", "my-runtime", "results.json"), "utf8"));
    expect(results.adapter).to.include({ name: "my-runtime", runtime: "my-runtime", version: "9.9.9" });
    expect(results.totals.pass).to.equal(results.tests.length);

    // A built-in adapter whose packages are not installed says what to install, and runs nothing.
    const workerd = spawnSync("npx", ["workers-rpc-conformance", "--adapter=workerd", "--grep=^env/", "--runs=1"], { cwd: project, encoding: "utf8" });
    expect(workerd.status, workerd.stderr).to.equal(2);
    expect(workerd.stderr.trim()).to.equal(
      "conformance: the workerd adapter needs miniflare and workerd, which are not installed: install miniflare and workerd (npm install --save-dev miniflare workerd) to use this adapter",
    );
    expect(existsSync(join(project, "reports", "workerd")), "no report for an adapter that never started").to.equal(false);
  });
});
