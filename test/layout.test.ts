/**
 * conformance/README.md and reference/README.md each hold a table that lists every file of their
 * folder (the layout, for a newcomer): a file added, moved or removed without the table following
 * fails here. Only files git tracks count, so run artefacts never do.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

for (const dir of ["conformance", "reference"]) {
  describe(`layout: ${dir}/README.md`, () => {
    it("lists every file of the folder, and no file that is not there", () => {
      const files = execFileSync("git", ["ls-files", dir], { cwd: ROOT, encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map((f) => f.slice(dir.length + 1));
      const readme = readFileSync(`${ROOT}/${dir}/README.md`, "utf8");
      const listed = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
      expect(files.filter((f) => !listed.includes(f)), "files missing from the table").to.deep.equal([]);
      expect(listed.filter((f) => !files.includes(f)), "rows naming no file").to.deep.equal([]);
    });
  });
}
