import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "xmlbuilder2";
import { countOutcomes, type Outcome } from "../conformance/engine/outcomes.ts";
import { CELL_LABELS, esc, renderMatrix, writeMatrix, type CellOutcome } from "../conformance/report/html.ts";
import { junitXml } from "../conformance/report/junit.ts";
import { mergeTimings, writeReports, type RequirementResult, type ResultsFile } from "../conformance/report/files.ts";

/** Strings a runtime might put in a message: markup, quotes, lone surrogates, controls, CDATA ends. */
const HOSTILE = `<script>alert("x")</script> it's & \ud800 lone \udc00 pair 😀 nul\u0000 bell\u0007 ]]> </pre> שלום`;

interface FixtureTest {
  id: string;
  requirements: string[];
  outcome: Outcome;
  message?: string;
  repro?: string;
  expectation?: { reason: string; seenOn: string };
}

/** Requirement → chapter title, in spec order; `NEW-ONLY` exists only in results that list it. */
const SPEC: [string, string, string][] = [
  ["ENTRY-B", "Entrypoints", "Methods run on a fresh instance"],
  ["ENTRY-A", "Entrypoints", "A class export is an entrypoint"],
  ["SER-Y", "Serialization", "Results are copies"],
  ["SER-X", "Serialization", `Strings survive <b>"intact"</b> & whole`],
  ["CTX-Z", "Ctx: the execution context", "waitUntil outlives the call"],
];

function makeResults(adapter: string, profile: string, tests: FixtureTest[], extra: Record<string, [string, string]> = {}): ResultsFile {
  const all = [...SPEC, ...Object.entries(extra).map(([id, [chapter, title]]) => [id, chapter, title] as [string, string, string])];
  const requirements: Record<string, RequirementResult> = {};
  for (const [id, chapter, title] of all) {
    const mine = tests.filter((t) => t.requirements.includes(id));
    const testable = id !== "CTX-Z";
    const order: Outcome[] = ["fail", "error", "timeout", "unexpectedPass", "expectedFail", "skip", "pass"];
    const worst = order.find((o) => mine.some((t) => t.outcome === o));
    requirements[id] = { title, chapter, testable, outcome: !testable ? "untestable" : (worst ?? "untested"), tests: mine.map((t) => t.id) };
  }
  return {
    schemaVersion: 1,
    suiteVersion: "0.1.0",
    adapterContractVersion: 1,
    adapter: { name: adapter, spec: adapter, runtime: adapter.startsWith("workerd") ? "workerd" : "reference", version: "1.2.3" },
    profile: { name: profile, compatibilityDate: profile === "current" ? "2026-11-17" : profile, compatibilityFlags: [] },
    seed: 42,
    numRuns: null,
    grep: null,
    startedAt: "2026-11-27T01:22:29.549Z",
    durationMs: 1234,
    totals: countOutcomes(tests.map((t) => t.outcome)),
    tests: tests.map((t) => ({
      title: `title of ${t.id}`,
      chapter: t.id.split("/")[0]!,
      durationMs: 10,
      numRuns: 100,
      seed: 42,
      path: "1:2",
      counterexample: t.outcome === "pass" ? undefined : `{"value":"${HOSTILE}"}`,
      replay: `npm run conformance -- --adapter=${adapter} --profile=${profile} --grep='^${t.id}$' --seed=42 --path=1:2`,
      ...t,
    })),
    requirements,
  };
}

const pass = (id: string, ...requirements: string[]): FixtureTest => ({ id, requirements, outcome: "pass" });

function fixtures(): ResultsFile[] {
  return [
    makeResults("reference", "current", [
      pass("entrypoints/a", "ENTRY-A"),
      pass("entrypoints/b", "ENTRY-B"),
      { id: "serialization/strings", requirements: ["SER-X", "SER-Y"], outcome: "fail", message: `expected ${HOSTILE}` },
    ]),
    makeResults("reference", "2024-04-03", [
      pass("entrypoints/a", "ENTRY-A"),
      { id: "entrypoints/b", requirements: ["ENTRY-B"], outcome: "error", message: "runtime crashed: <EOF>" },
      { id: "serialization/strings", requirements: ["SER-X", "SER-Y"], outcome: "skip", message: "not in this profile" },
    ]),
    makeResults(
      `workerd<&"'>`,
      "current",
      [
        { id: "entrypoints/a", requirements: ["ENTRY-A"], outcome: "expectedFail", message: "known", expectation: { reason: "bug #1 <x>", seenOn: "workerd 1.0" } },
        { id: "entrypoints/b", requirements: ["ENTRY-B"], outcome: "unexpectedPass", expectation: { reason: "was broken", seenOn: "workerd 1.0" } },
        { id: "serialization/strings", requirements: ["SER-X", "SER-Y"], outcome: "timeout", message: "no answer in 120000 ms", repro: `reports/workerd/repro/strings "1".tar` },
        pass("serialization/new", "NEW-ONLY"),
      ],
      { "NEW-ONLY": ["Serialization", "Only the newest suite has it"] },
    ),
    makeResults("workerd", "2024-04-03", []),
  ];
}

const allIds = ["ENTRY-A", "ENTRY-B", "NEW-ONLY", "SER-X", "SER-Y", "CTX-Z"];

/** The `<article id=…>` a fragment link points at. */
function article(html: string, id: string): string {
  const start = html.search(new RegExp(`<article class="detail[^"]*" id="${id}">`));
  expect(start, `article #${id}`).to.be.greaterThan(-1);
  return html.slice(start, html.indexOf("</article>", start));
}

function rowsOf(html: string): string[] {
  return [...html.matchAll(/<tr class="requirement"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[0]);
}

describe("reports: the HTML matrix", () => {
  const results = fixtures();
  const html = renderMatrix(results, { generatedAt: new Date("2026-11-28T09:30:00Z") });

  it("has the title and says how and when it was generated", () => {
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.include("<title>Workers RPC conformance</title>");
    expect(html).to.include("Generated by <code>npm run conformance</code> on <time datetime=\"2026-11-28T09:30:00.000Z\">2026-11-28 09:30 UTC</time>");
  });

  it("opens with each run's score before the matrix: requirements passing / testable, overall and per chapter", () => {
    const section = html.slice(html.indexOf('<section id="scores">'), html.indexOf("</section>"));
    expect(html.indexOf('<section id="scores">'), "scores come first").to.be.greaterThan(-1).and.lessThan(html.indexOf('<table id="matrix">'));
    const header = [...section.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(header).to.deep.equal(["Runtime · profile", "All chapters", "Entrypoints", "Serialization", "Ctx: the execution context"]);
    const rows = [...section.matchAll(/<tr><th scope="row">([\s\S]*?)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [
      m[1]!.replace(/<[^>]*>/g, ""),
      ...[...m[2]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]),
    ]);
    // Only pass counts (not expectedFail, unexpectedPass, skip…); untestable CTX-Z is left out, so Ctx has no score.
    expect(rows).to.deep.equal([
      ["reference · current (reference 1.2.3)", "2 / 4", "2 / 2", "0 / 2", "—"],
      ["reference · 2024-04-03 (reference 1.2.3)", "1 / 4", "1 / 2", "0 / 2", "—"],
      [`workerd&lt;&amp;&quot;&#39;&gt; · current (workerd 1.2.3)`, "1 / 5", "0 / 2", "1 / 3", "—"],
      ["workerd · 2024-04-03 (workerd 1.2.3)", "0 / 4", "0 / 2", "0 / 2", "—"],
    ]);
  });

  it("has a row per requirement in the union, by chapter in spec order then ID", () => {
    const ids = rowsOf(html).map((row) => /<span class="req-id">([^<]*)<\/span>/.exec(row)![1]);
    expect(ids).to.deep.equal(allIds);
    expect(html).to.include(esc(`Strings survive <b>"intact"</b> & whole`));
    const chapters = [...html.matchAll(/<tr class="chapter"[^>]*><th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(chapters).to.deep.equal(["Entrypoints", "Serialization", "Ctx: the execution context"]);
  });

  it("has a column per adapter and profile with runtime, version, profile and date", () => {
    const headers = [...html.matchAll(/<th scope="col" class="run-header">([\s\S]*?)<\/th>/g)].map((m) => m[1]!);
    expect(headers).to.have.length(4);
    expect(headers[0]).to.include(`<div class="adapter">reference</div>`).and.include("reference 1.2.3").and.include("<div>profile current</div>").and.include("compat. date 2026-11-17").and.include("2026-11-27 01:22 UTC");
    expect(headers[1]).to.include("profile 2024-04-03");
    expect(headers[2]).to.include(`<div class="adapter">workerd&lt;&amp;&quot;&#39;&gt;</div>`).and.include("workerd 1.2.3");
    for (const row of rowsOf(html)) expect(row.match(/<td class="o-/g), row).to.have.length(4);
  });

  it("shows each outcome with its text as well as its colour class", () => {
    const row = (id: string) => rowsOf(html).find((r) => r.includes(`id="req-${id}"`))!;
    const cells = (id: string) => [...row(id).matchAll(/<td class="o-(\w+)">([\s\S]*?)<\/td>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, "")]);
    expect(cells("SER-X")).to.deep.equal([["fail", "✗ fail"], ["skip", "– skip"], ["timeout", "◷ timeout"], ["untested", "? untested"]]);
    expect(cells("ENTRY-B").map((c) => c[0])).to.deep.equal(["pass", "error", "unexpectedPass", "untested"]);
    expect(cells("ENTRY-A").map((c) => c[0])).to.deep.equal(["pass", "pass", "expectedFail", "untested"]);
    expect(cells("NEW-ONLY").map((c) => c[0])).to.deep.equal(["absent", "absent", "pass", "absent"]);
    expect(cells("CTX-Z").map((c) => c[0])).to.deep.equal(["untestable", "untestable", "untestable", "untestable"]);
    for (const row of rowsOf(html)) for (const [o, text] of cells(/id="req-([^"]+)"/.exec(row)![1]!)) expect(text).to.equal(`${CELL_LABELS[o as CellOutcome].symbol} ${CELL_LABELS[o as CellOutcome].text}`);
  });

  it("escapes hostile strings, shows lone surrogates and controls as \\uXXXX, keeps real unicode", () => {
    expect(html.match(/<script\b/g)).to.have.length(1);
    expect(html).not.to.include(`alert("x")`);
    expect(html).to.include("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; it&#39;s &amp;");
    expect(html).to.include(`<span class="cp" title="code point U+D800">\\uD800</span>`);
    expect(html).to.include(`<span class="cp" title="code point U+0000">\\u0000</span>`);
    expect(html).to.include("😀").and.include("שלום");
    expect(html, "no lone surrogate reaches the page").not.to.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(html).not.to.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(esc(`a"b`, false)).to.equal("a&quot;b");
    expect(esc("\ud800", false)).to.equal("\\uD800");
  });

  it("links every non-pass cell to a failure section on the page, and nothing dangles", () => {
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size, "ids are unique").to.equal(ids.length);
    const hrefs = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).to.be.greaterThan(10);
    for (const h of hrefs) expect(ids, `#${h}`).to.include(h);
    for (const row of rowsOf(html)) {
      for (const cell of row.matchAll(/<td class="o-(\w+)">([\s\S]*?)<\/td>/g)) {
        if (cell[1] === "pass") expect(cell[2]).not.to.include("<a ");
        else expect(cell[2], `${cell[1]} cell`).to.match(/^<a href="#[^"]+">/);
      }
    }
  });

  it("gives each failure section the test id, escaped message in <pre>, counterexample, replay and repro", () => {
    const serFail = /<tr class="requirement" id="req-SER-X"[\s\S]*?<td class="o-fail"><a href="#([^"]+)">/.exec(html)![1]!;
    const fail = article(html, serFail);
    expect(fail).to.include(`<span class="test-id">serialization/strings</span>`);
    expect(fail).to.include(`<pre class="message">expected &lt;script&gt;`);
    expect(fail).to.include(`<pre class="counterexample">{&quot;value&quot;:&quot;&lt;script&gt;`);
    expect(fail).to.include(`<code class="replay">npm run conformance -- --adapter=reference --profile=current --grep=&#39;^serialization/strings$&#39; --seed=42 --path=1:2</code>`);
    expect(fail).to.include(`<a href="#req-SER-X">`);

    const timeout = /<tr class="requirement" id="req-SER-X"[\s\S]*?<td class="o-timeout"><a href="#([^"]+)">/.exec(html)![1]!;
    expect(article(html, timeout)).to.include(`<code class="repro">reports/workerd/repro/strings &quot;1&quot;.tar</code>`);
    const expected = /<tr class="requirement" id="req-ENTRY-A"[\s\S]*?<td class="o-expectedFail"><a href="#([^"]+)">/.exec(html)![1]!;
    expect(article(html, expected)).to.include("Expected to fail: bug #1 &lt;x&gt;");
    const untested = /<tr class="requirement" id="req-ENTRY-A"[\s\S]*?<td class="o-untested"><a href="#([^"]+)">/.exec(html)![1]!;
    expect(article(html, untested)).to.include("No test checked these in this run").and.include(`<a href="#req-ENTRY-A">ENTRY-A</a>`);
    const untestedTargets = new Set([...html.matchAll(/<td class="o-untested"><a href="#([^"]+)">/g)].map((m) => m[1]));
    expect(untestedTargets, "a column's untested cells share one note").to.deep.equal(new Set([untested]));
  });

  it("totals each column by requirement and by test", () => {
    const foot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(html)![1]!;
    const [reqRow, testRow] = foot.split("</tr>");
    const cols = (row: string) => [...row!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
    expect(cols(reqRow)).to.deep.equal([
      "2 pass 2 fail 1 untestable 1 not in run",
      "1 pass 2 skip 1 error 1 untestable 1 not in run",
      "1 pass 1 expected fail 1 unexpected pass 2 timeout 1 untestable",
      "4 untested 1 untestable 1 not in run",
    ]);
    expect(cols(testRow)).to.deep.equal(["2 pass 1 fail", "1 pass 1 skip 1 error", "1 pass 1 expected fail 1 unexpected pass 1 timeout", "none"]);
  });

  it("has filters that only appear with JS and key on indices, never on requirement text", () => {
    expect(html).to.include(`<form id="filters" hidden>`);
    expect(html).to.include(`<option value="0">Entrypoints</option><option value="1">Serialization</option><option value="2">Ctx: the execution context</option>`);
    expect(html).to.include("Only rows where some runtime does not pass");
    expect(html).to.include(`data-chapter="2" data-all-pass="false"`);
  });
});

describe("reports: writeMatrix", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "reports-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function put(relative: string, content: unknown): void {
    const file = join(dir, relative);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  }

  it("finds every adapter and profile below the reports dir and writes index.html", () => {
    const [refCurrent, refOld, workerdCurrent, workerdOld] = fixtures();
    put("workerd/results.json", workerdCurrent);
    put("workerd/profiles/2024-04-03/results.json", workerdOld);
    put("reference/results.json", refCurrent);
    put("reference/profiles/2024-04-03/results.json", refOld);
    put("reference/summary.md", "# not results");
    const out = writeMatrix(dir);
    expect(out).to.equal(join(dir, "index.html"));
    const html = readFileSync(out!, "utf8");
    const adapters = [...html.matchAll(/<div class="adapter">([^<]*)<\/div>[\s\S]*?<div>profile ([^<]+)<\/div>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(adapters).to.deep.equal(["reference current", "reference 2024-04-03", "workerd&lt;&amp;&quot;&#39;&gt; current", "workerd 2024-04-03"]);
    expect(rowsOf(html)).to.have.length(allIds.length);
  });

  it("returns undefined and writes nothing when there are no results", () => {
    expect(writeMatrix(dir)).to.equal(undefined);
    expect(existsSync(join(dir, "index.html"))).to.equal(false);
  });

  it("names the file when a results.json is unreadable or from another schema", () => {
    put("broken/results.json", "{ not json");
    expect(() => writeMatrix(dir)).to.throw(/broken\/results\.json is not valid JSON/);
    rmSync(join(dir, "broken"), { recursive: true });
    put("old/results.json", { schemaVersion: 0 });
    expect(() => writeMatrix(dir)).to.throw(/old\/results\.json has schemaVersion 0, expected one of 1, 2/);
  });
});

describe("reports: results.json is deterministic", () => {
  it("keeps the wall clock out of results.json and summary.md, in timings.json, which the matrix reads back", () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-timings-"));
    try {
      const run = fixtures()[0]!;
      writeReports(join(dir, "reference"), run);
      const json = JSON.parse(readFileSync(join(dir, "reference", "results.json"), "utf8"));
      expect(json).to.not.have.any.keys("startedAt", "durationMs");
      for (const t of json.tests) expect(t).to.not.have.property("durationMs");
      expect(readFileSync(join(dir, "reference", "summary.md"), "utf8")).to.not.include("2026-11-27").and.not.include("1.2 s");
      const timings = JSON.parse(readFileSync(join(dir, "reference", "timings.json"), "utf8"));
      expect(timings).to.deep.equal({ startedAt: run.startedAt, durationMs: run.durationMs, tests: Object.fromEntries(run.tests.map((t) => [t.id, 10])) });
      expect(mergeTimings(json, timings)).to.deep.equal(JSON.parse(JSON.stringify(run)));
      writeMatrix(dir);
      expect(readFileSync(join(dir, "index.html"), "utf8")).to.include(`<time datetime="${run.startedAt}">`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("reports: JUnit XML", () => {
  const [refCurrent, refOld, workerdCurrent] = fixtures();

  function parse(xml: string): Element {
    return create(xml).root().node as unknown as Element;
  }
  const all = (el: Element, tag: string) => [...el.getElementsByTagName(tag)];

  it("has one testsuite per chapter and one testcase per test, named by id and requirements", () => {
    const root = parse(junitXml(refCurrent!));
    expect(root.tagName).to.equal("testsuites");
    expect(all(root, "testsuite").map((s) => s.getAttribute("name"))).to.deep.equal(["entrypoints", "serialization"]);
    const cases = all(root, "testcase");
    expect(cases.map((c) => [c.getAttribute("classname"), c.getAttribute("name")])).to.deep.equal([
      ["entrypoints", "entrypoints/a [ENTRY-A]"],
      ["entrypoints", "entrypoints/b [ENTRY-B]"],
      ["serialization", "serialization/strings [SER-X, SER-Y]"],
    ]);
    expect(root.getAttribute("tests")).to.equal("3");
    expect(root.getAttribute("failures")).to.equal("1");
  });

  it("maps fail to <failure> with message, counterexample and replay (hostile text escaped, not lost)", () => {
    const xml = junitXml(refCurrent!);
    expect(xml, "only XML 1.0 characters").not.to.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(xml).not.to.include("<script>");
    const failure = all(parse(xml), "failure");
    expect(failure).to.have.length(1);
    expect(failure[0]!.getAttribute("type")).to.equal("fail");
    expect(failure[0]!.getAttribute("message")).to.equal(`expected <script>alert("x")</script> it's & \\uD800 lone \\uDC00 pair 😀 nul\\u0000 bell\\u0007 ]]> </pre> שלום`);
    const text = failure[0]!.textContent!;
    expect(text).to.include(`counterexample: {"value":"<script>`);
    expect(text).to.include(`replay: npm run conformance -- --adapter=reference --profile=current --grep='^serialization/strings$' --seed=42 --path=1:2`);
  });

  it("counts failures, errors and skips per suite from the outcomes", () => {
    const old = parse(junitXml(refOld!));
    const suites = Object.fromEntries(all(old, "testsuite").map((s) => [s.getAttribute("name"), ["tests", "failures", "errors", "skipped"].map((a) => s.getAttribute(a))]));
    expect(suites).to.deep.equal({ entrypoints: ["2", "0", "1", "0"], serialization: ["1", "0", "0", "1"] });
    expect(all(old, "error")[0]!.getAttribute("message")).to.equal("runtime crashed: <EOF>");
    expect(all(old, "skipped")[0]!.getAttribute("message")).to.equal("not in this profile");

    const w = parse(junitXml(workerdCurrent!));
    expect(["tests", "failures", "errors", "skipped"].map((a) => w.getAttribute(a))).to.deep.equal(["4", "1", "1", "0"]);
    const byName = (name: string) => all(w, "testcase").find((c) => c.getAttribute("name")!.startsWith(name))!;
    expect(all(byName("entrypoints/a "), "failure")).to.have.length(0);
    expect(all(byName("entrypoints/a "), "system-out")[0]!.textContent).to.equal("expected failure: bug #1 <x> (seen on workerd 1.0)\n\nknown");
    expect(all(byName("entrypoints/b "), "failure")[0]!.getAttribute("type")).to.equal("unexpectedPass");
    const timeout = byName("serialization/strings ");
    expect(all(timeout, "error")[0]!.getAttribute("type")).to.equal("timeout");
    expect(all(timeout, "error")[0]!.textContent).to.include(`repro bundle: reports/workerd/repro/strings "1".tar`);
    expect(all(timeout, "system-out")[0]!.textContent).to.equal(`[[ATTACHMENT|reports/workerd/repro/strings "1".tar]]`);
  });
});
