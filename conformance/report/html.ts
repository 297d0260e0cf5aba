/**
 * `reports/index.html`: every requirement against every runtime and profile that has a
 * `results.json` under `reports/`, on one static page a runtime author can open from disk or CI
 * artifacts. Self-contained on purpose (inline CSS, a little inline JS, no network): it must still
 * work years later, offline. Without JS every row is shown; the filters are an extra.
 *
 * Messages and counterexamples are whatever a runtime said, so everything is escaped — including
 * lone surrogates and control characters, which are shown as `\uXXXX` rather than silently turned
 * into U+FFFD (a lossy string is often the very bug being reported, SER-BASIC-VALUES).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { mergeTimings, READABLE_RESULTS_SCHEMA_VERSIONS, type RequirementResult, type ResultsFile } from "./files.ts";

/** What a matrix cell can say; "absent" when a results file does not know the requirement at all. */
export type CellOutcome = RequirementResult["outcome"] | "absent";

/** Text shown with every colour, so colour is never the only signal; the symbol is decoration. */
export const CELL_LABELS: Record<CellOutcome, { symbol: string; text: string }> = {
  pass: { symbol: "✓", text: "pass" },
  fail: { symbol: "✗", text: "fail" },
  expectedFail: { symbol: "✗", text: "expected fail" },
  unexpectedPass: { symbol: "!", text: "unexpected pass" },
  skip: { symbol: "–", text: "skip" },
  error: { symbol: "⚠", text: "error" },
  timeout: { symbol: "◷", text: "timeout" },
  untested: { symbol: "?", text: "untested" },
  untestable: { symbol: "∅", text: "untestable" },
  absent: { symbol: "—", text: "not in run" },
};
const CELL_ORDER = Object.keys(CELL_LABELS) as CellOutcome[];
/** Outcomes with no test behind them: one shared note per column rather than a section per cell. */
const NO_TESTS: readonly CellOutcome[] = ["untested", "untestable", "absent"];

function label(o: CellOutcome): string {
  return `<span aria-hidden="true">${CELL_LABELS[o].symbol}</span> ${CELL_LABELS[o].text}`;
}

/** How much of a message or counterexample the page shows; results.json keeps the rest. */
const MAX_MESSAGE = 8000;
const MAX_COUNTEREXAMPLE = 4000;

export interface MatrixOptions {
  /** When the page says it was generated (default: now); fixed in tests. */
  generatedAt?: Date;
}

interface Row {
  id: string;
  title: string;
  chapter: number;
  anchor: string;
}

interface Column {
  results: ResultsFile;
  anchor: string;
}

export function renderMatrix(results: ResultsFile[], options: MatrixOptions = {}): string {
  const anchors = new AnchorNamer();
  const chapters: string[] = [];
  const titles = new Map<string, { title: string; chapter: string }>();
  for (const r of results) {
    for (const [id, req] of Object.entries(r.requirements)) {
      if (!chapters.includes(req.chapter)) chapters.push(req.chapter);
      if (!titles.has(id)) titles.set(id, { title: req.title, chapter: req.chapter });
    }
  }
  // Chapters in spec order (the order results.json lists them), IDs sorted within a chapter.
  const rows: Row[] = [...titles]
    .map(([id, t]) => ({ id, title: t.title, chapter: chapters.indexOf(t.chapter), anchor: anchors.name(`req-${id}`) }))
    .sort((a, b) => a.chapter - b.chapter || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const columns: Column[] = results.map((r) => ({ results: r, anchor: anchors.name(`run-${r.adapter.name}-${r.profile.name}`) }));
  // Where each non-pass cell links: its own failure section, or its column's shared note.
  const detailAnchors = new Map<string, string>();
  const detailKey = (c: number, id: string) => `${c}\u0000${id}`;
  const noteAnchors = columns.map((col) => new Map(NO_TESTS.map((o) => [o, anchors.name(`${col.anchor}--${o}`)])));
  columns.forEach((col, c) => {
    for (const row of rows) {
      const o = cellOutcome(col.results, row.id);
      if (o === "pass") continue;
      detailAnchors.set(detailKey(c, row.id), noteAnchors[c]!.get(o) ?? anchors.name(`${col.anchor}--${row.id}`));
    }
  });

  const head = columns.map((col) => columnHeader(col.results)).join("");
  const body: string[] = [];
  let lastChapter = -1;
  for (const row of rows) {
    if (row.chapter !== lastChapter) {
      lastChapter = row.chapter;
      body.push(`<tr class="chapter" data-chapter="${row.chapter}"><th scope="rowgroup" colspan="${columns.length + 1}">${esc(chapters[row.chapter]!)}</th></tr>`);
    }
    const outcomes = columns.map((col) => cellOutcome(col.results, row.id));
    const cells = outcomes.map((o, c) => {
      const emulated = columns[c]!.results.requirements[row.id]?.emulated;
      const badge = `<span class="label">${label(o)}</span>${emulated !== undefined ? ` <span class="emulated" title="${esc(`emulated by the adapter: ${emulated}`)}">(emulated)</span>` : ""}`;
      const target = detailAnchors.get(detailKey(c, row.id));
      return `<td class="o-${o}">${target ? `<a href="#${target}">${badge}</a>` : badge}</td>`;
    });
    body.push(
      `<tr class="requirement" id="${row.anchor}" data-chapter="${row.chapter}" data-all-pass="${outcomes.every((o) => o === "pass")}">` +
        `<th scope="row"><span class="req-id">${esc(row.id)}</span> <span class="req-title">${esc(row.title)}</span></th>${cells.join("")}</tr>`,
    );
  }
  const foot =
    `<tr><th scope="row">Requirements</th>${columns.map((col) => `<td>${totalsList(countCells(col.results, rows))}</td>`).join("")}</tr>` +
    `<tr><th scope="row">Tests</th>${columns.map((col) => `<td>${totalsList(col.results.totals)}</td>`).join("")}</tr>`;

  const details = columns
    .map((col, c) => {
      const articles = rows
        .filter((row) => !NO_TESTS.includes(cellOutcome(col.results, row.id)) && detailAnchors.has(detailKey(c, row.id)))
        .map((row) => cellDetails(col.results, row, detailAnchors.get(detailKey(c, row.id))!));
      const notes = NO_TESTS.map((o) => columnNote(col.results, o, rows.filter((row) => cellOutcome(col.results, row.id) === o), noteAnchors[c]!.get(o)!));
      const content = articles.join("") + notes.join("") || "<p>Every requirement passes.</p>";
      return `<section class="run" id="${col.anchor}"><h3>${esc(runName(col.results))}</h3>${content}</section>`;
    })
    .join("");

  const generatedAt = (options.generatedAt ?? new Date()).toISOString();
  const chapterOptions = chapters.map((ch, i) => `<option value="${i}">${esc(ch)}</option>`).join("");
  const legend = CELL_ORDER.map((o) => `<li class="o-${o}">${label(o)}</li>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Workers RPC conformance</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Workers RPC conformance</h1>
<p class="generated">Generated by <code>npm run conformance</code> on <time datetime="${generatedAt}">${esc(displayDate(generatedAt))}</time> from ${columns.length} result file${columns.length === 1 ? "" : "s"}.</p>
<ul class="legend" aria-label="Legend">${legend}</ul>
</header>
<main>
${scoreSection(results, chapters)}
<h2 id="matrix-title">Requirements by runtime</h2>
<form id="filters" hidden>
<label>Chapter <select id="filter-chapter"><option value="">All chapters</option>${chapterOptions}</select></label>
<label><input type="checkbox" id="filter-not-passing"> Only rows where some runtime does not pass</label>
<output id="filter-count" aria-live="polite"></output>
</form>
<div class="scroll">
<table id="matrix">
<thead><tr><th scope="col">Requirement</th>${head}</tr></thead>
<tbody>
${body.join("\n")}
</tbody>
<tfoot>${foot}</tfoot>
</table>
</div>
<h2 id="details">Not passing, by runtime</h2>
${details}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/**
 * The page opens with each run's score, as compatibility dashboards do: requirements passing out
 * of those that can be tested black-box, over the whole spec and per chapter. Only `pass` counts;
 * an expected failure is a known divergence, not a pass.
 */
function scoreSection(results: ResultsFile[], chapters: string[]): string {
  const score = (reqs: RequirementResult[]) => {
    const counted = reqs.filter((q) => q.outcome !== "untestable");
    const passing = counted.filter((q) => q.outcome === "pass").length;
    return { passing, total: counted.length };
  };
  const cell = (reqs: RequirementResult[] | undefined) => {
    if (!reqs?.length) return `<td class="score">—</td>`;
    const { passing, total } = score(reqs);
    if (total === 0) return `<td class="score">—</td>`;
    const all = passing === total ? " score-all" : "";
    return `<td class="score${all}" data-passing="${passing}" data-total="${total}">${passing} / ${total}</td>`;
  };
  const rows = results.map((r) => {
    const reqs = Object.values(r.requirements);
    const perChapter = chapters.map((ch) => cell(reqs.filter((q) => q.chapter === ch)));
    return (
      `<tr><th scope="row"><span class="adapter">${esc(r.adapter.name)}</span> · ${esc(r.profile.name)} ` +
      `<span class="muted">(${esc(r.adapter.runtime)} ${esc(r.adapter.version)})</span></th>${cell(reqs)}${perChapter.join("")}</tr>`
    );
  });
  return `<section id="scores">
<h2>Scores</h2>
<p class="muted">Requirements passing / requirements testable black-box, per runtime and profile, then per chapter. Only a pass counts; requirements marked untestable are left out.</p>
<div class="scroll">
<table id="score-table">
<thead><tr><th scope="col">Runtime · profile</th><th scope="col">All chapters</th>${chapters.map((ch) => `<th scope="col">${esc(ch)}</th>`).join("")}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</div>
</section>`;
}

/** Writes `reportsDir/index.html` from every results.json below it; undefined when there is none. */
export function writeMatrix(reportsDir: string): string | undefined {
  const results = readResultsTree(reportsDir);
  if (results.length === 0) return undefined;
  const out = join(reportsDir, "index.html");
  writeFileSync(out, renderMatrix(results));
  return out;
}

/** Every results.json below `reportsDir`, parsed and checked, in the matrix's column order. */
export function readResultsTree(reportsDir: string): ResultsFile[] {
  return findResults(reportsDir).map((file) => {
    let parsed: ResultsFile;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`report: ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (!READABLE_RESULTS_SCHEMA_VERSIONS.includes(parsed?.schemaVersion)) {
      throw new Error(`report: ${file} has schemaVersion ${JSON.stringify(parsed?.schemaVersion)}, expected one of ${READABLE_RESULTS_SCHEMA_VERSIONS.join(", ")}`);
    }
    // A run's timings.json (never committed) puts the date back into the column header.
    const timings = join(dirname(file), "timings.json");
    return existsSync(timings) ? mergeTimings(parsed, JSON.parse(readFileSync(timings, "utf8"))) : parsed;
  });
}

/** results.json files below `dir`, sorted so an adapter's default profile precedes its `profiles/`. */
function findResults(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const file = entries.find((e) => e.isFile() && e.name === "results.json");
    if (file) found.push(join(d, file.name));
    // Runs of deliberately broken reference variants (`reference+<fault>`) are not runtimes.
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith(".") && !e.name.includes("+") && e.name !== "repro") walk(join(d, e.name));
  };
  walk(dir);
  return found;
}

function cellOutcome(results: ResultsFile, id: string): CellOutcome {
  return results.requirements[id]?.outcome ?? "absent";
}

function countCells(results: ResultsFile, rows: Row[]): Partial<Record<CellOutcome, number>> {
  const counts: Partial<Record<CellOutcome, number>> = {};
  for (const row of rows) {
    const o = cellOutcome(results, row.id);
    counts[o] = (counts[o] ?? 0) + 1;
  }
  return counts;
}

function totalsList(counts: Partial<Record<CellOutcome, number>>): string {
  const items = CELL_ORDER.filter((o) => counts[o]).map((o) => `<li class="o-${o}">${counts[o]} ${CELL_LABELS[o].text}</li>`);
  return items.length ? `<ul class="totals">${items.join("")}</ul>` : "none";
}

function runName(r: ResultsFile): string {
  return `${r.adapter.name} · ${r.profile.name}`;
}

function columnHeader(r: ResultsFile): string {
  const flags = r.profile.compatibilityFlags.length ? `, ${r.profile.compatibilityFlags.join(", ")}` : "";
  return (
    `<th scope="col" class="run-header">` +
    `<div class="adapter">${esc(r.adapter.name)}</div>` +
    `<div>${esc(r.adapter.runtime)} ${esc(r.adapter.version)}</div>` +
    `<div>profile ${esc(r.profile.name)}</div>` +
    `<div class="muted">compat. date ${esc(r.profile.compatibilityDate)}${esc(flags)}</div>` +
    (r.startedAt ? `<div class="muted"><time datetime="${esc(r.startedAt, false)}">${esc(displayDate(r.startedAt))}</time></div>` : "") +
    `</th>`
  );
}

function cellDetails(results: ResultsFile, row: Row, anchor: string): string {
  const outcome = cellOutcome(results, row.id);
  const req = results.requirements[row.id];
  const parts = [
    `<article class="detail" id="${anchor}">`,
    `<h4><a href="#${row.anchor}">${esc(row.id)}</a> on ${esc(runName(results))}: <span class="badge o-${outcome}">${label(outcome)}</span></h4>`,
    `<p class="req-title">${esc(row.title)}</p>`,
    ...(req?.emulated !== undefined ? [`<p class="emulated">Emulated by the adapter: ${esc(req.emulated)}</p>`] : []),
  ];
  const failing = (req?.tests ?? []).map((id) => ({ id, test: results.tests.find((t) => t.id === id) })).filter((t) => t.test?.outcome !== "pass");
  if (failing.length === 0) parts.push(`<p>No non-passing test is recorded for it.</p>`);
  for (const { id, test } of failing) parts.push(test ? testDetails(test) : `<div class="test"><h5>${esc(id)}</h5><p>No result recorded for this test.</p></div>`);
  parts.push(`<p class="back"><a href="#${row.anchor}">↑ back to the matrix</a></p></article>`);
  return parts.join("");
}

function columnNote(results: ResultsFile, outcome: CellOutcome, rows: Row[], anchor: string): string {
  if (rows.length === 0) return "";
  const why =
    outcome === "untestable"
      ? "The spec marks these untestable black-box; each says why in <code>spec/</code>."
      : outcome === "untested"
        ? `No test checked these in this run${results.grep !== null ? ` (it was limited with <code>--grep=${esc(results.grep)}</code>)` : ""}.`
        : `This run's results.json does not list these (written by suite ${esc(results.suiteVersion)}).`;
  const links = rows.map((row) => `<a href="#${row.anchor}">${esc(row.id)}</a>`).join(", ");
  return `<article class="detail note" id="${anchor}"><h4><span class="badge o-${outcome}">${label(outcome)}</span> ${rows.length} requirement${rows.length === 1 ? "" : "s"}</h4><p>${why}</p><p>${links}</p></article>`;
}

function testDetails(t: ResultsFile["tests"][number]): string {
  const parts = [`<div class="test"><h5><span class="test-id">${esc(t.id)}</span> <span class="badge o-${t.outcome}">${label(t.outcome)}</span></h5>`];
  if (t.expectation) parts.push(`<p>Expected to fail: ${esc(t.expectation.reason)} <span class="muted">(seen on ${esc(t.expectation.seenOn)})</span></p>`);
  if (t.message) parts.push(`<pre class="message">${esc(truncate(t.message, MAX_MESSAGE))}</pre>`);
  if (t.counterexample) parts.push(`<p>Counterexample:</p><pre class="counterexample">${esc(truncate(t.counterexample, MAX_COUNTEREXAMPLE))}</pre>`);
  if (t.replay) parts.push(`<p>Replay: <code class="replay">${esc(t.replay)}</code></p>`);
  const repro = (t as { repro?: unknown }).repro;
  if (typeof repro === "string") parts.push(`<p>Repro bundle: <code class="repro">${esc(repro)}</code></p>`);
  parts.push(`</div>`);
  return parts.join("");
}

/** Cuts long text without leaving half a surrogate pair behind (which would read as a lone one). */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}\n… (${text.length - cut.length} more characters in results.json)`;
}

function displayDate(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** HTML specials, lone surrogates and control characters other than tab, LF, CR. */
const UNSAFE = /[&<>"']|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Escapes text for HTML; with `markup` (text content, not attributes) code points are marked up. */
export function esc(text: string, markup = true): string {
  return text.replace(UNSAFE, (ch) => {
    const entity = ESCAPES[ch];
    if (entity) return entity;
    const code = `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    return markup ? `<span class="cp" title="code point U+${code.slice(2)}">${code}</span>` : code;
  });
}

/** Unique, URL-safe fragment ids that still read like what they point at. */
class AnchorNamer {
  private readonly used = new Set<string>();
  name(wanted: string): string {
    const base = wanted.replace(/[^A-Za-z0-9_.-]+/g, "-");
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}-${n}`;
    this.used.add(name);
    return name;
  }
}

// Every outcome pairs a label with a colour; all pairs meet WCAG AA contrast (4.5:1).
const CSS = `
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; background: #fff; }
body { margin: 1.5rem; }
h1 { margin: 0 0 .25rem; }
.generated, .muted { color: #555; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: .85rem; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24rem; overflow: auto; }
code.replay, code.repro { display: inline-block; background: #f6f6f6; padding: .1rem .3rem; overflow-wrap: anywhere; }
.cp { background: #ffe08a; color: #1b1b1b; border-radius: 2px; padding: 0 1px; }
.legend, .totals { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap; gap: .25rem; }
.legend li, .totals li, .badge { padding: .1rem .4rem; border-radius: 3px; }
.totals { flex-direction: column; margin: 0; font-size: .85rem; }
#filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
#filters[hidden] { display: none; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f0f0f0; z-index: 1; }
.run-header .adapter, #score-table .adapter { font-weight: 700; }
#score-table td.score { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
#score-table td.score-all { background: #dff3e4; color: #0f5323; }
.run-header div { white-space: nowrap; }
tr.chapter th { background: #e8eaf0; font-size: 1rem; padding-top: .6rem; }
tbody th[scope=row] { font-weight: normal; min-width: 16rem; max-width: 32rem; }
.req-id { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-weight: 700; }
td a { color: inherit; display: block; text-decoration: underline; }
td { white-space: nowrap; }
.o-pass { background: #dff3e4; color: #0f5323; }
.o-fail { background: #b71c1c; color: #fff; font-weight: 700; }
.o-expectedFail { background: #fde7c8; color: #5d3300; }
.o-unexpectedPass { background: #0d47a1; color: #fff; font-weight: 700; }
.o-skip { background: #eceff1; color: #37474f; }
.o-error { background: #a43200; color: #fff; font-weight: 700; }
.o-timeout { background: #5e1a8a; color: #fff; font-weight: 700; }
.o-untested { background: #fff; color: #555; font-style: italic; }
.o-untestable { background: #f3f3f3; color: #555; font-style: italic; }
.o-absent { background: #fff; color: #555; }
tr[hidden] { display: none; }
.run { margin-top: 1.5rem; }
.detail { border: 1px solid #ccc; border-left: 6px solid #888; padding: .25rem 1rem; margin: .75rem 0; }
.detail.note { border-left: 6px dashed #bbb; padding-top: 0; padding-bottom: 0; }
.detail:target { border-color: #0d47a1; box-shadow: 0 0 0 3px #90caf9; }
.test { border-top: 1px dashed #ccc; margin-top: .5rem; }
a:focus-visible { outline: 3px solid #0d47a1; outline-offset: 1px; }
`;

// Filters: rows carry data-chapter (an index, never user text) and data-all-pass.
const SCRIPT = `
(() => {
  const form = document.getElementById("filters");
  const chapter = document.getElementById("filter-chapter");
  const notPassing = document.getElementById("filter-not-passing");
  const count = document.getElementById("filter-count");
  const rows = [...document.querySelectorAll("#matrix tbody tr.requirement")];
  const headings = [...document.querySelectorAll("#matrix tbody tr.chapter")];
  function apply() {
    let shown = 0;
    const chaptersShown = new Set();
    for (const row of rows) {
      const show = (chapter.value === "" || row.dataset.chapter === chapter.value) && !(notPassing.checked && row.dataset.allPass === "true");
      row.hidden = !show;
      if (show) { shown++; chaptersShown.add(row.dataset.chapter); }
    }
    for (const h of headings) h.hidden = !chaptersShown.has(h.dataset.chapter);
    count.textContent = shown + " of " + rows.length + " requirements shown";
  }
  chapter.addEventListener("change", apply);
  notPassing.addEventListener("change", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.hidden = false;
  apply();
})();
`;
