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
      // The layout table is the one headed `| file |`; other tables (adapters, options) name no files.
      const listed: string[] = [];
      let inLayoutTable = false;
      for (const line of readme.split("\n")) {
        if (!line.startsWith("|")) inLayoutTable = false;
        else if (line.startsWith("| file |")) inLayoutTable = true;
        else if (inLayoutTable) listed.push(...[...line.matchAll(/^\| `([^`]+)` \|/g)].map((m) => m[1]!));
      }
      expect(files.filter((f) => !listed.includes(f)), "files missing from the table").to.deep.equal([]);
      expect(listed.filter((f) => !files.includes(f)), "rows naming no file").to.deep.equal([]);
    });
  });
}
