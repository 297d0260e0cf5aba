/**
 * The README's "Run the docs' todo app locally" commands, run as written (with a temporary
 * --persist-to so the repository stays clean, and --port 0), answer what the README says.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { spawnReferenceCli } from "../reference/helpers.ts";


/** The `npm run reference -- …` lines and the curl lines of the README section. */
function readmeSection(): { commands: string[][]; curls: { path: string; answer: string }[] } {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("## Run the docs' todo app locally"), readme.indexOf("## The parts"));
  const commands = [...section.matchAll(/^npm run reference -- (.+)$/gm)].map((match) => match[1]!.split(/\s+/));
  const curls = [...section.matchAll(/^curl "?http:\/\/127\.0\.0\.1:8787([^"\s]*)"?\s+# (.+)$/gm)].map((match) => ({ path: match[1]!, answer: match[2]! }));
  return { commands, curls };
}

describe("README: the todo app's commands do what the README says", function () {
  this.timeout(60000);

  it("migrations apply, then serve, then the three curl answers", async function () {
    const { commands, curls } = readmeSection();
    expect(commands.map((command) => command[0])).to.deep.equal(["d1", "-c"]);
    expect(curls).to.have.length(3);
    const state = mkdtempSync(path.join(tmpdir(), "reference-readme-"));
    try {
      const migrate = spawnReferenceCli([...commands[0]!, "--persist-to", state]);
      expect(await migrate.exited, migrate.stderr()).to.equal(0);
      // The server reads the database when it starts, so it starts after the migrations, as in the README.
      const serving = spawnReferenceCli([...commands[1]!, "--persist-to", state, "--port", "0"]);
      try {
        const deadline = Date.now() + 30000;
        let port: string | undefined;
        while ((port = /ready on http:\/\/127\.0\.0\.1:(\d+)/.exec(serving.stdout())?.[1]) === undefined) {
          if (Date.now() > deadline) throw new Error(`did not start: ${serving.stderr()}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        for (const { path: at, answer } of curls) {
          const body = (await (await fetch(`http://127.0.0.1:${port}${at}`)).text()).trim();
          expect(body, at).to.equal(answer);
        }
      } finally {
        serving.child.kill("SIGTERM");
        await serving.exited;
      }
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});
