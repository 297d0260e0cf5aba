/**
 * The matrix page in a real browser (Debian's Chromium through playwright-core): it renders, its
 * filters work, failure links land on the failure, it loads nothing from the network, and the
 * JUnit XML is well-formed to a real XML parser. CI installs Chromium in `.ci/run`; where no
 * Chromium is installed (and nothing is downloaded) these tests are reported pending, with the reason.
 */
import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { countOutcomes, type Outcome } from "../conformance/engine/outcomes.ts";
import { readResultsTree, renderMatrix } from "../conformance/report/html.ts";
import { junitXml } from "../conformance/report/junit.ts";
import type { RequirementResult, ResultsFile } from "../conformance/report/files.ts";

const CHROMIUM = process.env.REPORTS_TEST_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOT = fileURLToPath(new URL("../.tmp/report.png", import.meta.url));
const HOSTILE = `<script>alert("x")</script> it's & \ud800 😀`;

const SPEC: [string, string][] = [
  ["ENTRY-A", "Entrypoints"],
  ["ENTRY-B", "Entrypoints"],
  ["SER-X", "Serialization"],
  ["SER-Y", "Serialization"],
  ["CTX-Z", "Ctx"],
];

function results(adapter: string, profile: string, outcomes: Record<string, Outcome>): ResultsFile {
  const tests = Object.entries(outcomes).map(([req, outcome]) => ({
    id: `${req.split("-")[0]!.toLowerCase()}/${req.toLowerCase()}`,
    title: `checks ${req}`,
    chapter: req.split("-")[0]!.toLowerCase(),
    requirements: [req],
    outcome,
    durationMs: 5,
    numRuns: 100,
    seed: 7,
    ...(outcome === "pass" ? {} : { message: `expected ${HOSTILE}`, counterexample: `["${HOSTILE}"]`, path: "3:1" }),
    replay: `npm run conformance -- --adapter=${adapter} --profile=${profile} --grep='^${req.toLowerCase()}$' --seed=7`,
  }));
  const requirements: Record<string, RequirementResult> = {};
  for (const [id, chapter] of SPEC) {
    const t = tests.find((x) => x.requirements[0] === id);
    requirements[id] = { title: `Title of ${id} <i>`, chapter, testable: id !== "CTX-Z", outcome: id === "CTX-Z" ? "untestable" : (t?.outcome ?? "untested"), tests: t ? [t.id] : [] };
  }
  return {
    schemaVersion: 1,
    suiteVersion: "0.1.0",
    adapterContractVersion: 1,
    adapter: { name: adapter, spec: adapter, runtime: adapter, version: "9.9.9" },
    profile: { name: profile, compatibilityDate: "2026-11-17", compatibilityFlags: [] },
    seed: 7,
    numRuns: null,
    grep: null,
    startedAt: "2026-11-27T01:22:29.549Z",
    durationMs: 99,
    totals: countOutcomes(tests.map((t) => t.outcome)),
    tests,
    requirements,
  };
}

const FIXTURES = [
  results("reference", "current", { "ENTRY-A": "pass", "ENTRY-B": "pass", "SER-X": "fail", "SER-Y": "pass" }),
  results("reference", "2024-04-03", { "ENTRY-A": "pass", "ENTRY-B": "error", "SER-X": "pass", "SER-Y": "skip" }),
  results("workerd", "current", { "ENTRY-A": "pass", "ENTRY-B": "pass", "SER-X": "timeout", "SER-Y": "expectedFail" }),
  results("workerd", "2024-04-03", { "ENTRY-A": "pass", "ENTRY-B": "pass", "SER-X": "pass", "SER-Y": "pass" }),
];

/** The committed results the matrix is built from (reports/index.html itself is a run's artefact). */
const COMMITTED_REPORTS = fileURLToPath(new URL("../reports", import.meta.url));

describe("reports: the matrix page in Chromium", function () {
  this.timeout(60_000);
  let dir: string;
  let server: Server;
  let origin: string;
  let browser: Browser | undefined;
  let page: Page;
  const offsite: string[] = [];
  const dialogs: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // Never a download: without a Chromium on the machine the browser checks are pending, not passed.
      console.log(`      (pending: no Chromium at ${CHROMIUM}; apt-get install chromium, or set REPORTS_TEST_CHROMIUM, to run the browser checks)`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), "reports-browser-"));
    writeFileSync(join(dir, "index.html"), renderMatrix(FIXTURES));
    writeFileSync(join(dir, "junit.xml"), junitXml(FIXTURES[0]!));
    writeFileSync(join(dir, "committed.html"), renderMatrix(readResultsTree(COMMITTED_REPORTS)));
    server = createServer((req, res) => {
      const file = { "/": "index.html", "/junit.xml": "junit.xml", "/committed": "committed.html" }[req.url ?? ""];
      if (!file) {
        offsite.push(`local ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": file.endsWith(".xml") ? "application/xml" : "text/html; charset=utf-8" });
      res.end(readFileSync(join(dir, file)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        timeout: 30_000,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
    } catch (error) {
      // Playwright's message carries the browser's log; keep what says why, drop the long command line.
      const why = (error as Error).message
        .replace(/\u001b\[\d+m/g, "")
        .split("\n")
        .filter((line) => line.trim() && !line.includes("<launching>"))
        .slice(0, 15)
        .join("\n  ");
      throw new Error(`Chromium at ${CHROMIUM} could not start:\n  ${why}`);
    }
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // The page must be self-contained: anything not from our server is recorded and refused.
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(origin)) return route.continue();
      offsite.push(route.request().url());
      return route.abort();
    });
    await page.goto(`${origin}/`, { waitUntil: "load", timeout: 15_000 });
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders one row per requirement and one column per adapter and profile", async () => {
    expect(await page.title()).to.equal("Workers RPC conformance");
    expect(await page.locator("#matrix tbody tr.requirement").count()).to.equal(SPEC.length);
    expect(await page.locator("#matrix thead th.run-header").count()).to.equal(FIXTURES.length);
    const cellsPerRow = await page.$$eval("#matrix tbody tr.requirement", (rows) => rows.map((r) => r.querySelectorAll("td").length));
    expect(cellsPerRow).to.deep.equal(SPEC.map(() => FIXTURES.length));
    expect(await page.locator("#filters").isVisible(), "the filters appear once JS runs").to.equal(true);
    expect(offsite, "requests beyond the page itself").to.deep.equal([]);
    expect(dialogs, "no script from a message ran").to.deep.equal([]);
  });

  it("shows hostile text as text", async () => {
    const message = await page.locator("pre.message").first().innerText();
    expect(message).to.equal(`expected <script>alert("x")</script> it's & \\uD800 😀`);
    expect(await page.locator("tr#req-ENTRY-A th").innerText()).to.equal("ENTRY-A Title of ENTRY-A <i>");
  });

  it("filters rows by chapter and by 'some runtime does not pass'", async () => {
    const visibleIds = () => page.$$eval("#matrix tbody tr.requirement", (rows) => rows.filter((r) => !(r as HTMLElement).hidden && (r as HTMLElement).offsetParent !== null).map((r) => r.id));
    await page.selectOption("#filter-chapter", { label: "Serialization" });
    expect(await visibleIds()).to.deep.equal(["req-SER-X", "req-SER-Y"]);
    expect(await page.locator("tr#req-ENTRY-A").isHidden()).to.equal(true);
    expect(await page.locator("#filter-count").innerText()).to.equal("2 of 5 requirements shown");
    await page.selectOption("#filter-chapter", { label: "All chapters" });
    await page.check("#filter-not-passing");
    expect(await visibleIds()).to.deep.equal(["req-ENTRY-B", "req-SER-X", "req-SER-Y", "req-CTX-Z"]);
    await page.uncheck("#filter-not-passing");
    expect(await visibleIds()).to.have.length(SPEC.length);
  });

  it("takes a failing cell's link to the failure with its replay command", async () => {
    const link = page.locator("tr#req-SER-X td.o-fail a");
    const href = await link.getAttribute("href");
    await link.click();
    expect(await page.evaluate(() => location.hash)).to.equal(href);
    const target = page.locator(":target");
    expect(await target.getAttribute("id")).to.equal(href!.slice(1));
    expect(await target.locator("code.replay").innerText()).to.equal(`npm run conformance -- --adapter=reference --profile=current --grep='^ser-x$' --seed=7`);
    const top = await target.evaluate((el) => el.getBoundingClientRect().top);
    expect(top, "the failure is scrolled into view").to.be.within(-1, 800);
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, "-target.png") });
  });

  it("is readable: full-page screenshot to .tmp/report.png", async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).to.equal(true);
  });

  it("shows every row, and no filters, without JS", async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      await plain.goto(`${origin}/`, { waitUntil: "load", timeout: 15_000 });
      expect(await plain.locator("#matrix tbody tr.requirement:visible").count()).to.equal(SPEC.length);
      expect(await plain.locator("#filters").isHidden()).to.equal(true);
    } finally {
      await context.close();
    }
  });

  it("JUnit XML is well-formed to the browser's XML parser", async () => {
    const result = await page.evaluate(async () => {
      const doc = new DOMParser().parseFromString(await (await fetch("/junit.xml")).text(), "application/xml");
      return { error: doc.querySelector("parsererror")?.textContent ?? null, cases: doc.querySelectorAll("testcase").length };
    });
    expect(result).to.deep.equal({ error: null, cases: 4 });
  });

  it("the matrix of the repository's committed results renders with the reference and workerd columns", async () => {
    const other = await browser!.newPage();
    try {
      await other.goto(`${origin}/committed`, { waitUntil: "load", timeout: 15_000 });
      const headers = await other.$$eval("#matrix thead th.run-header", (ths) => ths.map((th) => th.textContent ?? ""));
      expect(headers.some((h) => h.includes("reference")), `columns: ${headers.join(" | ")}`).to.equal(true);
      expect(headers.some((h) => h.includes("workerd")), `columns: ${headers.join(" | ")}`).to.equal(true);
      expect(await other.locator("#matrix tbody tr.requirement").count(), "requirement rows").to.be.greaterThan(50);
    } finally {
      await other.close();
    }
  });
});
