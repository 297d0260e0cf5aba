import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ID_PATTERN, loadSpec, SpecError, type Requirement } from "../spec/index.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** IDs the conformance tests already cite; renaming one would break the trace. */
const PUBLISHED_IDS = [
  "ENTRY-CLASS-EXPORT", "ENTRY-SYNC-ASYNC", "ENTRY-ARGUMENTS", "ENTRY-NEW-INSTANCE", "ENTRY-STATELESS",
  "ENTRY-CONSTRUCTOR", "ENTRY-FETCH",
  "VIS-PRIVATE", "VIS-UNKNOWN-METHOD",
  "ENV-VARS", "ENV-CALLEE-OWN", "ENV-SERVICE-BINDINGS",
  "CTX-PRESENT", "CTX-WAITUNTIL",
  "BIND-NAMED-ENTRYPOINT", "BIND-DEFAULT-ENTRYPOINT", "BIND-ENTRYPOINT-ISOLATION",
  "SER-COPY-ARGS", "SER-COPY-RESULT", "SER-BASIC-VALUES",
];

/** A well-formed requirement; `overrides` replaces or (with `null`) drops field lines. */
function requirement(id: string, overrides: Record<string, string | null> = {}): string {
  const fields: Record<string, string | null> = {
    Source: "https://example.com/doc",
    workerd: "seen on workerd",
    Profiles: "all",
    Testable: "yes",
    ...overrides,
  };
  const lines = Object.entries(fields)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `- ${name}: ${value}`);
  return [`### ${id}: Title of ${id}`, "", "A runtime MUST do this.", "", ...lines, ""].join("\n");
}

function chapter(title: string, ...requirements: string[]): string {
  return [`# ${title}`, "", "Intro.", "", ...requirements].join("\n");
}

describe("spec/", () => {
  describe("the real spec", () => {
    let spec: Requirement[];
    before(() => {
      spec = loadSpec();
    });

    it("parses and has requirements", () => {
      expect(spec.length).to.be.greaterThan(0);
    });

    it("has unique IDs of the form AREA-NAME", () => {
      const ids = spec.map((r) => r.id);
      expect(new Set(ids).size, "duplicate IDs").to.equal(ids.length);
      for (const id of ids) expect(id).to.match(ID_PATTERN);
    });

    it("keeps every published ID", () => {
      const ids = new Set(spec.map((r) => r.id));
      for (const id of PUBLISHED_IDS) expect(ids.has(id), id).to.equal(true);
    });

    it("cites at least one source for every requirement", () => {
      for (const r of spec) {
        expect(r.sources.length, r.id).to.be.greaterThan(0);
        for (const source of r.sources) expect(source.trim(), r.id).to.not.equal("");
      }
    });

    it("records chapter, file, line and profiles for every requirement", () => {
      for (const r of spec) {
        expect(r.chapter, r.id).to.be.a("string").and.not.equal("");
        expect(r.chapterFile, r.id).to.match(/\.md$/);
        expect(r.line, r.id).to.be.greaterThan(1);
        expect(r.profiles, r.id).to.be.a("string").and.not.equal("");
        expect(r.testable === false ? typeof r.untestableReason : "n/a", r.id).to.be.oneOf(["string", "n/a"]);
      }
    });
  });

  describe("malformed chapters", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "spec-fixture-"));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    function rejects(expected: RegExp): void {
      expect(() => loadSpec(dir)).to.throw(SpecError, expected);
    }

    it("rejects a duplicate ID, naming both places", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", requirement("AREA-ONE")));
      writeFileSync(join(dir, "b.md"), chapter("B", requirement("AREA-TWO"), requirement("AREA-ONE")));
      rejects(/b\.md:\d+: duplicate requirement ID AREA-ONE \(first defined at .*a\.md:5\)/);
    });

    it("rejects a duplicate ID within one chapter", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", requirement("AREA-ONE"), requirement("AREA-ONE")));
      rejects(/a\.md:14: duplicate requirement ID AREA-ONE \(first defined at .*a\.md:5\)/);
    });

    for (const bad of ["entry-lower", "ENTRY", "ENTRY_UNDERSCORE", "ENTRY-", "1ENTRY-X", "ENTRY--X"]) {
      it(`rejects the bad ID "${bad}"`, () => {
        writeFileSync(join(dir, "a.md"), chapter("A", requirement(bad)));
        rejects(/a\.md:5: malformed requirement heading/);
      });
    }

    it("rejects an H3 heading without an ID", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", "### Just a heading\n\nText.\n"));
      rejects(/a\.md:5: malformed requirement heading "### Just a heading"/);
    });

    it("rejects a requirement without a Source line", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", requirement("AREA-ONE"), requirement("AREA-TWO", { Source: null })));
      rejects(/a\.md:14: requirement AREA-TWO has no "- Source:" line/);
    });

    it("rejects a requirement without a Testable line", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", requirement("AREA-ONE", { Testable: null })));
      rejects(/a\.md:5: requirement AREA-ONE has no "- Testable:" line/);
    });

    it("rejects a Testable value that is neither yes nor no — reason", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", requirement("AREA-ONE", { Testable: "maybe" })));
      rejects(/a\.md:\d+: requirement AREA-ONE: "- Testable:" must be "yes" or "no — <reason>"/);
    });

    it("rejects an unknown field name (a typo would otherwise drop a field)", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", requirement("AREA-ONE", { Sources: "x" })));
      rejects(/a\.md:\d+: requirement AREA-ONE: unknown field "Sources:"/);
    });

    it("rejects an unknown profile name", () => {
      writeFileSync(join(dir, "a.md"), chapter("A", requirement("AREA-ONE", { Profiles: "`legacy`: fails" })));
      rejects(/a\.md:\d+: requirement AREA-ONE: unknown profile "legacy"/);
    });

    it("rejects a chapter without an H1 title", () => {
      writeFileSync(join(dir, "a.md"), requirement("AREA-ONE"));
      rejects(/a\.md:1: a chapter must start with its H1 title/);
    });
  });

  describe("well-formed details", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "spec-fixture-"));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("reads an untestable requirement, continuation lines, several sources and per-profile text", () => {
      const text = chapter(
        "Area",
        requirement("AREA-ONE", {
          Source: "https://example.com/a;\n  repo path, test x",
          Profiles: "`2024-04-03`: rejects; `current`: resolves",
          Testable: "no — only visible on the platform",
        }),
      );
      writeFileSync(join(dir, "area.md"), text);
      writeFileSync(join(dir, "README.md"), "### NOT A REQUIREMENT\n");
      const [r, ...rest] = loadSpec(dir);
      expect(rest).to.have.length(0);
      expect(r).to.deep.include({
        id: "AREA-ONE", title: "Title of AREA-ONE", chapter: "Area", chapterFile: "area.md", line: 5,
        testable: false, untestableReason: "only visible on the platform",
        profiles: "`2024-04-03`: rejects; `current`: resolves",
        sources: ["https://example.com/a", "repo path, test x"],
      });
    });

    it("ignores headings inside code fences", () => {
      const body = "### AREA-ONE: Real\n\nText.\n\n```\n### NOT-AN: ID\n```\n\n- Source: s\n- workerd: w\n" +
        "- Profiles: all\n- Testable: yes\n";
      writeFileSync(join(dir, "a.md"), chapter("A", body));
      expect(loadSpec(dir).map((r) => r.id)).to.deep.equal(["AREA-ONE"]);
    });
  });

  describe("npm run spec", () => {
    function run(...args: string[]) {
      return spawnSync("npx", ["tsx", "spec/index.ts", ...args], { cwd: ROOT, encoding: "utf8" });
    }

    it("prints the index as JSON with id, title, chapter and a boolean testable", () => {
      const result = run();
      expect(result.status, result.stderr).to.equal(0);
      const index = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      expect(index.map((r) => r.id)).to.deep.equal(loadSpec().map((r) => r.id));
      for (const entry of index) {
        expect(entry).to.include.keys("id", "title", "chapter", "testable");
        expect(entry.testable).to.be.a("boolean");
        if (entry.testable === false) expect(entry.untestableReason).to.be.a("string");
        else expect(entry).to.not.have.property("untestableReason");
      }
    });

    it("exits 1 with file:line on stderr and no stack trace when the spec is malformed", () => {
      const dir = mkdtempSync(join(tmpdir(), "spec-fixture-"));
      try {
        writeFileSync(join(dir, "a.md"), chapter("A", requirement("bad-id")));
        const result = run(dir);
        expect(result.status).to.equal(1);
        expect(result.stdout).to.equal("");
        expect(result.stderr).to.match(/a\.md:5: malformed requirement heading/);
        expect(result.stderr).to.not.match(/^\s+at /m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
