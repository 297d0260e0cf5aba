/**
 * The suite as another project meets it: packed, installed, run through its bin with an adapter
 * written in that project, in TypeScript, importing the package's public surface.
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
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
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "outside-runtime", private: true, type: "module" }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tarball)], { cwd: project, stdio: "ignore" });
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
  });
});
