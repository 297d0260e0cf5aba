/**
 * `npm run bench`: the reference runtime and workerd, side by side in one run, with the same
 * client and server code (conformance/bench/workers.ts) through the same adapter contract.
 * Figures are medians; what counts is the ratio reference/workerd on the same machine in the same
 * run. Writes reports/bench.json and reports/bench.md. A benchmark, never a test.
 */
import { Session } from "node:inspector/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { writeFileSync, mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as fc from "fast-check";
import { createReferenceAdapter } from "../adapters/reference.ts";
import { createWorkerdAdapter } from "../adapters/workerd.ts";
import type { Adapter, RuntimeInfo } from "../contract.ts";
import { registeredTests } from "../engine/define.ts";
import { PROFILES, DEFAULT_PROFILE } from "../engine/profiles.ts";
import { runSuite } from "../engine/runner.ts";
import { observeCases } from "../engine/property.ts";
import { benchScenario } from "./workers.ts";
import { payloadOf } from "./payload.ts";
import "../tests/index.ts";

const { values: args } = parseArgs({
  options: { quick: { type: "boolean" }, "suite-runs": { type: "string" }, "skip-suite": { type: "boolean" }, only: { type: "string" } },
});
const quick = args.quick ?? false;
/** Parts of the bench, for `--only=<part,…>` (a partial run still writes reports/bench.md, saying so). */
const PARTS = ["rtt", "concurrent", "payload", "startup", "probe", "suite", "cli"] as const;
type Part = (typeof PARTS)[number];
const only = args.only?.split(",").map((p) => p.trim()) as Part[] | undefined;
for (const p of only ?? []) if (!PARTS.includes(p)) throw new Error(`bench: --only takes ${PARTS.join(", ")}; got "${p}"`);
const wanted = (part: Part) => (only ? only.includes(part) : !(args["skip-suite"] && (part === "probe" || part === "suite" || part === "cli")));
const profile = PROFILES[DEFAULT_PROFILE]!;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

interface Figure {
  id: string;
  title: string;
  unit: string;
  reference: number;
  workerd: number;
  /** reference / workerd */
  ratio: number;
  target?: string;
  met?: boolean;
}

async function job(adapter: Adapter, body: unknown): Promise<number[]> {
  const running = await adapter.start(benchScenario(profile.compatibilityDate));
  try {
    const response = await running.fetch("client", new Request("http://bench.invalid/", { method: "POST", body: JSON.stringify(body) }));
    if (!response.ok) throw new Error(`${adapter.name}: bench client answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { perCallMs: number[] }).perCallMs;
  } finally {
    await running.dispose();
  }
}

async function bootDispose(adapter: Adapter, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const running = await adapter.start(benchScenario(profile.compatibilityDate));
    await running.dispose();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Where a suite run's time went, from the adapter's side: boots, probe requests, disposal. */
interface SuiteBreakdown {
  scenarios: number;
  workers: number;
  /** Summed over scenarios (they overlap when the adapter allows several at once). */
  startMs: number;
  probeMs: number;
  probes: number;
  /** Summed over scenarios: first probe request to last answer (probes run 8 at a time). */
  probePhaseMs: number;
  disposeMs: number;
  /** The tests that took longest from the start of their check (their boots may have started earlier). */
  slowest?: { id: string; ms: number }[];
}

/** The adapter, with every start/fetch/dispose timed. */
function instrumented(adapter: Adapter, into: SuiteBreakdown): Adapter {
  return {
    ...adapter,
    runtime: () => adapter.runtime(),
    async start(scenario) {
      const t0 = performance.now();
      const running = await adapter.start(scenario);
      into.startMs += performance.now() - t0;
      into.scenarios++;
      into.workers += scenario.workers.length;
      // The probe phase of this scenario: from its first probe request to its last answer.
      let first: number | undefined;
      let last = 0;
      return {
        async fetch(worker, request) {
          const t = performance.now();
          first ??= t;
          try {
            return await running.fetch(worker, request);
          } finally {
            last = performance.now();
            into.probeMs += last - t;
            into.probes++;
          }
        },
        async dispose() {
          if (first !== undefined) into.probePhaseMs += last - first;
          const t = performance.now();
          await running.dispose();
          into.disposeMs += performance.now() - t;
        },
      };
    },
  };
}

async function suite(inner: Adapter, numRuns: number): Promise<{ wallMs: number; cases: number; breakdown: SuiteBreakdown }> {
  const breakdown: SuiteBreakdown = { scenarios: 0, workers: 0, startMs: 0, probeMs: 0, probes: 0, probePhaseMs: 0, disposeMs: 0 };
  const adapter = instrumented(inner, breakdown);
  const t0 = performance.now();
  const run = await runSuite({
    adapter,
    adapterSpec: adapter.name,
    profile,
    tests: registeredTests(),
    expectations: { expectedFailures: {} },
    seed: 42,
    numRuns,
    batchSize: 100,
    concurrency: 8,
    deadlineMs: 600_000,
  });
  const bad = run.tests.filter((t) => t.outcome !== "pass");
  if (bad.length) throw new Error(`${adapter.name}: the suite did not pass during the benchmark: ${bad.map((t) => t.id).join(", ")}`);
  breakdown.slowest = [...run.tests].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5).map((t) => ({ id: t.id, ms: t.durationMs }));
  return { wallMs: performance.now() - t0, cases: run.tests.reduce((n, t) => n + t.numRuns, 0), breakdown };
}

let profileRows: ProfileRow[] = [];

/** `npm run conformance -- <args>` as a child process (its own start-up included), timed by wall clock. */
async function cliRun(cliArgs: string[]): Promise<{ wallMs: number; cases: number; jobs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "wrc-bench-cli-"));
  const cli = fileURLToPath(new URL("../cli/conformance.ts", import.meta.url));
  const t0 = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv.filter((a) => !a.startsWith("--cpu-prof")), cli, ...cliArgs, `--report-dir=${dir}`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, stderr: err }));
  });
  const wallMs = performance.now() - t0;
  try {
    if (code !== 0) throw new Error(`bench: npm run conformance ${cliArgs.join(" ")} exited ${code}: ${stderr.slice(-2000)}`);
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { tests: { numRuns: number }[] };
    const jobs = /\b(\d+) jobs\b/.exec(stderr)?.[1];
    return { wallMs, cases: results.tests.reduce((n, t) => n + t.numRuns, 0), jobs: Number(jobs ?? 1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);

/**
 * The probe path alone: for every test, 100 generated cases booted as one scenario, then probed
 * 8 at a time with nothing else running. Returns cases per second of probing, and of booting.
 */
async function probePath(adapter: Adapter): Promise<{ probeRate: number; bootRate: number; cases: number }> {
  const timing = { bootMs: 0, probeMs: 0 };
  let cases = 0;
  for (const test of registeredTests()) {
    const sample = fc.sample(test.arbitrary, { seed: 7, numRuns: Math.min(100, test.numRuns ?? 100) });
    await observeCases(adapter, profile, sample.map((c) => test.scenario(c, profile)), 8, timing);
    cases += sample.length;
  }
  return { probeRate: cases / (timing.probeMs / 1000), bootRate: cases / (timing.bootMs / 1000), cases };
}

async function main() {
  const adapters = { reference: createReferenceAdapter(), workerd: createWorkerdAdapter() };
  const runtimes: Record<string, RuntimeInfo> = { reference: await adapters.reference.runtime(), workerd: await adapters.workerd.runtime() };
  const figures: Figure[] = [];
  const both = async (f: (a: Adapter) => Promise<number>) => ({ reference: await f(adapters.reference), workerd: await f(adapters.workerd) });
  const add = (id: string, title: string, unit: string, values: { reference: number; workerd: number }, target?: (ratio: number, v: typeof values) => [string, boolean]) => {
    const ratio = values.reference / values.workerd;
    const [targetText, met] = target ? target(ratio, values) : [undefined, undefined];
    const figure: Figure = { id, title, unit, ...values, ratio, ...(targetText && { target: targetText, met }) };
    figures.push(figure);
    process.stderr.write(`${title}: reference ${values.reference.toFixed(3)} ${unit}, workerd ${values.workerd.toFixed(3)} ${unit}, ratio ${ratio.toFixed(3)}\n`);
  };

  const batches = quick ? 5 : 15;
  const perBatch = quick ? 500 : 2000;
  if (wanted("rtt")) {
    const seq = await both(async (a) => median(await job(a, { kind: "sequential", batches, perBatch })) * 1000);
    add("rtt", "1. sequential round trip, await env.S.add(1, 2), median per call", "µs", seq, (r) => ["reference ≥ 50× faster than workerd (ratio ≤ 0.02)", r <= 0.02]);
    add("rtt-rate", "1. sequential round trip, calls per second", "calls/s", { reference: 1e6 / seq.reference, workerd: 1e6 / seq.workerd });
  }
  if (wanted("concurrent")) {
    const conc = await both(async (a) => median(await job(a, { kind: "concurrent", batches, inFlight: quick ? 500 : 1000 })) * 1000);
    add("concurrent", "2. concurrent throughput, 1,000 calls in flight, per call", "µs", conc);
  }
  for (const [label, bytes] of wanted("payload") ? ([["1 KiB", 1024], ["64 KiB", 64 * 1024], ["1 MiB", 1024 * 1024]] as const) : []) {
    const value = payloadOf(bytes);
    // Enough calls per batch to move a few MiB, so workerd's coarse clock has something to measure.
    const perBatchPayload = Math.min(200, Math.max(2, Math.round(((quick ? 2 : 8) * 2 ** 20) / bytes)));
    const v = await both(async (a) => median(await job(a, { kind: "payload", value, batches: quick ? 3 : 7, perBatch: perBatchPayload })));
    add(`payload-${bytes}`, `3. payload round trip, generated value of ${label}`, "ms", v, (r) => ["reference ≤ 0.5 × workerd", r <= 0.5]);
  }
  if (wanted("startup")) {
    const boot = await both(async (a) => median(await bootDispose(a, quick ? 3 : 10)));
    add("startup", "4. boot a two-worker scenario and dispose it", "ms", boot, (r) => ["reference ≥ 50× faster than workerd (ratio ≤ 0.02)", r <= 0.02]);
  }
  if (wanted("probe")) {
    const ref = await probePath(adapters.reference);
    const wd = await probePath(adapters.workerd);
    add("probe-rate", `5. probe path: generated cases per second, probing a booted scenario (each test's own count up to 100: ${ref.cases} cases, one test at a time)`, "cases/s", { reference: ref.probeRate, workerd: wd.probeRate }, (_r, v) => [
      "reference ≥ 2,000 cases/s",
      v.reference >= 2000,
    ]);
    add("boot-rate", "5. booting those cases' scenarios, cases per second", "cases/s", { reference: ref.bootRate, workerd: wd.bootRate });
  }
  const breakdowns: Record<string, SuiteBreakdown & { wallMs: number; cases: number; parallel: number }> = {};
  const numRuns = Number(args["suite-runs"] ?? (quick ? 20 : 100));
  if (wanted("suite")) {
    let ref!: Awaited<ReturnType<typeof suite>>;
    profileRows = await cpuProfile(async () => {
      ref = await suite(adapters.reference, numRuns);
    });
    const wd = await suite(adapters.workerd, numRuns);
    breakdowns.reference = { ...ref.breakdown, wallMs: ref.wallMs, cases: ref.cases, parallel: adapters.reference.concurrentScenarios ?? 1 };
    breakdowns.workerd = { ...wd.breakdown, wallMs: wd.wallMs, cases: wd.cases, parallel: adapters.workerd.concurrentScenarios ?? 1 };
    add("suite-wall", `5. full conformance run in this process (one job), ${numRuns} runs per property, wall time`, "s", { reference: ref.wallMs / 1000, workerd: wd.wallMs / 1000 }, (_r, v) => [
      "workerd ≤ 90 s at 100 runs (the reference's target is figure 6)",
      numRuns >= 100 && v.workerd <= 90,
    ]);
    add("suite-rate-all", "5. generated cases per second over the whole run (boots, checks and shrinking included)", "cases/s", { reference: ref.cases / (ref.wallMs / 1000), workerd: wd.cases / (wd.wallMs / 1000) });
  }

  if (wanted("cli")) {
    // What a user waits for: `npm run conformance` on the reference, a process of its own with its
    // default --jobs (both cores), start-up and report writing included.
    const cli = await cliRun(["--adapter=reference", "--seed=42", ...(args["suite-runs"] || quick ? [`--runs=${numRuns}`] : [])]);
    figures.push({
      id: "cli-wall",
      title: `6. npm run conformance on the reference, as a user runs it (a process of its own, default --jobs=${cli.jobs}, ${cli.cases} cases), wall time`,
      unit: "s",
      reference: cli.wallMs / 1000,
      workerd: NaN,
      ratio: NaN,
      target: "reference ≤ 15 s at each test's own run count",
      met: numRuns >= 100 && !quick && cli.wallMs <= 15_000,
    });
    process.stderr.write(`npm run conformance (reference): ${(cli.wallMs / 1000).toFixed(1)} s, ${cli.cases} cases\n`);
  }

  // The load average tells a reader whether the machine was quiet: other work skews every figure.
  const machine = {
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
  };
  const report = { schemaVersion: 3, parts: only ?? "all", date: new Date().toISOString(), quick, profile: profile.name, machine, runtimes, figures, suiteBreakdown: breakdowns, referenceCpuProfile: profileRows };
  mkdirSync("reports", { recursive: true });
  writeFileSync("reports/bench.json", JSON.stringify(report, null, 2) + "\n");
  const md = [
    "# Benchmark: reference vs workerd",
    "",
    `Generated by \`npm run bench${quick || only ? ` --${quick ? " --quick" : ""}${only ? ` --only=${only.join(",")}` : ""}` : ""}\` on ${report.date}${only ? " (a partial run: only these parts)" : ""}. Machine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}.`,
    `Runtimes: reference ${runtimes.reference!.version}; workerd ${runtimes.workerd!.version} (miniflare ${runtimes.workerd!.details?.miniflare ?? "?"}). Profile \`${profile.name}\`.`,
    "Both columns come from the same run, with the same client and server code; the ratio is reference / workerd (below 1 means the reference is faster).",
    "",
    "| figure | reference | workerd | ratio | target | met |",
    "|---|---|---|---|---|---|",
    ...figures.map(
      (f) =>
        `| ${f.title} | ${f.reference.toFixed(3)} ${f.unit} | ${Number.isNaN(f.workerd) ? "—" : `${f.workerd.toFixed(3)} ${f.unit}`} | ${Number.isNaN(f.ratio) ? "—" : f.ratio.toFixed(3)} | ${f.target ?? ""} | ${f.met === undefined ? "" : f.met ? "yes" : "**no**"} |`,
    ),
    "",
    `Load average (1, 5, 15 min): ${machine.loadAverageAtStart.join(", ")} at the start, ${machine.loadAverageAtEnd.join(", ")} at the end (${cpus().length} cores).`,
    "",
    ...breakdownSection(breakdowns),
    ...ROUND_TRIP_NOTES,
    ...PAYLOAD_NOTES,
    ...SUITE_NOTES,
    ...(profileRows.length
      ? [
          "## CPU profile of the reference's suite run (this process: suite and reference together)",
          "",
          "Self time per function, sampled every millisecond by V8's profiler during figure 5's reference run. `(idle)` is the event loop waiting (on esbuild's process, on timers the tests set, on the other core).",
          "",
          "| function and file | self time | share |",
          "|---|---|---|",
          ...profileRows.map((r) => `| \`${r.where.replace(/\|/g, "\\|")}\` | ${(r.selfMs / 1000).toFixed(1)} s | ${r.share} % |`),
          "",
        ]
      : []),
  ].join("\n");
  writeFileSync("reports/bench.md", md);
  process.stderr.write(`\nwrote reports/bench.json and reports/bench.md\n`);
}

/**
 * What was tried for figure 3 (issue 14), kept with the figures so a reader of bench.md sees why
 * the payload ratio is what it is. CPU times per copy of the bench's generated value from one
 * worker realm into another, measured side by side in one process (.tmp-style driver, 2 cores
 * shared with other work, so read them as ratios).
 */
const PAYLOAD_NOTES = [
  "## Payloads: what was tried (figure 3)",
  "",
  "A CPU profile of the 1 MiB round trip (`node --cpu-prof` on a driver doing what figure 3 does) put the time in the copier of reference/copy/serialize.ts: allocating in the destination realm (`#object`, about 21 %), string-keyed stores (`setOwn`, 18 %), listing keys (`#properties`, 14 %) and the garbage collector (19 %). Tried:",
  "",
  "- **V8's serializer** (`v8.serialize` + `v8.deserialize`, workerd's wire format): slower than the copier for these values (1 MiB: about 19 ms of CPU against 13–16 ms for the copier, 64 KiB: 0.85 ms against 0.4–0.6 ms), and it cannot build the copy in the callee's realm: the deserializer creates objects in the realm of the function that calls it (the host's), with the host's prototypes, so each object would need its prototype swapped afterwards (slower still, and it turns objects into dictionaries). Not adopted.",
  "- **JSON** round trip, for comparison: about as slow as V8's serializer, and lossy. Not adopted.",
  "- **Dense arrays copied by index** (adopted): an array whose own keys are exactly its indices is copied with numeric reads and writes instead of string keys; the same reads, in the same order. Copy CPU time down about 30 % at 1 KiB and 64 KiB and about 20 % at 1 MiB.",
  "- **Per-shape copy functions** (a function compiled in the destination realm for a key list seen again and again, with constant keys): no difference measurable above the noise of a shared machine. Not adopted.",
  "- **The memo** (the Map from each source object to its copy, SER-SHARED-REFS): replacing it with a no-op (wrong, only to size it) cut the CPU of a 1 MiB copy by about 40 % (27 → 16 ms): a hash table of ~20,000 objects, grown and probed twice per object, is what makes 1 MiB cost more per byte than 64 KiB. Two replacements that keep the semantics were tried, each object carrying its memo entry in a private field added from outside (invisible to programs): with the copy in the field and the fields cleared after the copy, 1 MiB 0.79× but 64 KiB 1.17× (the clearing pass and the extra field on every fresh object); with only an index in the field, 64 KiB 1.09× and 1 MiB 1.24× (more garbage-collector time). Not adopted.",
  "- **One `util.types.isProxy` call per object instead of two**: no measurable difference (64 KiB 1.01×). Not adopted.",
  "",
  "A round trip copies the value twice (arguments, then the result); the rest of figure 3 is the garbage collector and the call path.",
  "",
  "Session 6, measured on a loaded machine (CPU time, interleaved, so read the ratios):",
  "",
  "- **The result walk of reference/rpc/call-scope.ts** (`keepsContextAlive`, CTX-FLOATING-CANCELLED: does the result hold something that keeps the call's context alive?) was about a third of a payload round trip when short-circuited as an experiment (0.67x at 64 KiB, 10 interleaved pairs; 0.68x at 1 MiB, 6 pairs). Adopted in its place: the copy of the result counts what it made (stubs, moved bodies; `CopyTally` in copy/serialize.ts), so nothing walks the value a second time. Measured with conformance/bench/ab.ts against the walk, interleaved, one process, on a lightly loaded machine: 0.91 at 64 KiB (10 rounds) and 0.86 at 1 MiB (6 rounds) of CPU per round trip.",
  "- **How far the copier is from a bare deep copy**: the bench's value copied from one worker realm to another, CPU per copy (medians of 8 interleaved rounds): the Copier 0.36 ms at 64 KiB and 12.5 ms at 1 MiB; a bare recursive copy with the same memo and key listing but no type checks, byte counting or faults, run in the host, 0.19 ms and 7.4 ms; the same bare copy compiled inside the destination realm (object literals instead of `new to.Object()`) 0.67 ms and 16.0 ms, slower, because every memo and key call then crosses from the realm to the host. A second measurement (10 interleaved rounds, heavier load) put the bare copy at 0.32 ms, the bare copy plus the Copier's per-value checks (two `isProxy`, the prototype check, the string byte count, the `__proto__` guard) at 0.39 ms, and the Copier at 0.46 ms. So the type checks and bookkeeping cost between a third and half of the copy; with the walk above gone the 64 KiB round trip would be near 0.75 × workerd, and the 0.5 target needs the copy itself faster than this design allows. V8's serializer remains slower (above).",
  "",
  "The memo and isProxy ratios are CPU time per copy of the bench's value from one worker realm to another and back, old and new code bundled by esbuild and run as alternating processes (medians of 6), or interleaved in one process with `conformance/bench/ab.ts --kind=copy`; that driver gives 0.98–1.13 with the same code on both sides, so differences under about 10 % are noise.",
  "",
];

/** What was tried for figure 1, the sequential round trip (issue 14, second round). */
const ROUND_TRIP_NOTES = [
  "## Round trip: what was tried (figure 1)",
  "",
  "Figure 1 had gone from 1.72 µs to 2.92 µs between two benches. A CPU profile of `await env.S.add(i, 2)` in a loop (a driver doing what figure 1 does, `node --cpu-prof`) put a quarter of the time in making the two callable proxies each call creates (`env.S.add` and the call's thenable): their targets had their `length` and `name` deleted and their prototype set when made (STUB-SURFACE), about 0.4 µs per target (the function goes to dictionary mode). Measured as CPU time per call, old and new code interleaved in one process (`npx tsx conformance/bench/ab.ts --base=<old checkout> --kind=sequential --rounds=20`, 16–24 rounds of 20,000 calls), ratios new/old:",
  "",
  "- **Handle surfaces given lazily** (adopted): the target starts as a plain arrow function; the traps that could observe own keys or the prototype strip it first, then remove themselves from the handler. A probe of the surface (own keys, descriptors, prototype, `instanceof`, freeze, writes after freezing, setPrototypeOf) prints the same before and after. 0.66.",
  "- **The callee side queued as a reaction on a settled promise** instead of `queueMicrotask` (which makes an async_hooks resource and a bound function per callback; same microtask, same moment), and `isArrayIndex` skipping its regular expression for names not starting with a digit (adopted): 0.91.",
  "- Looking up the realm's fault switches only when a fault is asked about (two WeakMap reads per call): 0.98, within the noise. Not adopted.",
  "",
  "Together 0.60 of the CPU per call before this round. What is left is spread thin: the realm's promise made from the host, the handler objects, the callee's fresh instance and ctx, and the engine's own work for awaiting a thenable that is not a promise (CALL-THENABLE-NOT-PROMISE), each host↔realm crossing (proxy traps, realm functions) costing tens of nanoseconds.",
  "",
  "- **After the merges of session 5** figure 1 read 4.25 µs (2.92 before). One cause measured: reference/rpc/call-scope.ts (CTX-FLOATING-CANCELLED) kept an AsyncLocalStorage, which turns on Node's promise hooks for every promise of the process: the same 20,000-call loop with that storage's `run` replaced by a plain call measured 3.47–3.57 µs against 4.19–4.50 µs with it (two runs each, one process per run). The same hooks gave promises Node's own symbol-keyed properties (a known divergence of the diff engine).",
  "- **A call scope without promise hooks** (adopted): call-scope.ts now finds a call's scope by turns, as workerd does (the call current while its method, its timers' callbacks and reactions its `.then` registered run; otherwise the one call that entered the worker in the current drain of the microtask queue), with no async_hooks. `conformance/bench/ab.ts` cannot compare this change in one process: once the old side's AsyncLocalStorage has run, the hooks are on for both sides (interleaved: 0.98, noise). Measured instead as alternating processes, each running one checkout on both of ab.ts's sides (`npx tsx conformance/bench/ab.ts --base=<same checkout> --kind=sequential --rounds=8`, run from the old checkout and from the new one in turn, 5 processes each, 10 medians per side) on a machine loaded by other work (load average 14–17 on 2 cores, so absolute figures are inflated): old (128b028) 8.35 µs CPU per call (median of the 10; 7.16–10.25), new 6.90 µs (6.31–7.09), ratio 0.83 — the 0.8 µs of a quiet machine's 4.3 µs measured above. Against main after session 6's merges (load average 3–4, 12 medians per side, then 10): 8.35 → 7.59 µs (0.91) and 10.53 → 9.09 µs (0.86); the spread within each side (±20 %) is larger than the gain, so read it as 0.83–0.91. What the new scope costs per call: a note of the entry (a counter compare), one host call from the realm's `then` when the caller awaits, and one microtask per drain of the queue.",
  "",
  "- **Figure 1 at the end of session 6** read 4.65 µs and 5.09 µs in two benches run one after the other (4.25 µs at the end of session 5) although the call scope alone measured faster: the two checkouts compared as alternating processes right after that bench (`npx tsx conformance/bench/ab.ts --base=<same checkout> --kind=sequential --rounds=8` run in each checkout, 3 processes each, CPU per call including the driver): session 5's end 10.9, 8.4 and 7.5 µs, session 6's end 8.2, 7.7 and 7.5 µs. So the change in figure 1 is within what the machine's load moves it (the bench started at load 1.7 on 2 cores, session 5's at a quieter moment); the new seams (one group lookup per call) did not show in the profile of the loop. The target (ratio ≤ 0.02, about 1.3 µs against workerd's 67 µs) stays missed: what is left is spread over the handle proxies, the realm's promise and the callee's fresh instance and ctx, as above.",
];

/** What was tried for figures 5 and 6, the suite's own speed (issue 14), and what the profiles show. */
const SUITE_NOTES = [
  "## The suite's speed: what was tried (figures 5 and 6)",
  "",
  "- **Both cores** (adopted): `--jobs=n` runs the tests in n processes and merges their results (the default for the reference is one per core, at most 4: 2 on a 2-core machine); `--shard=i/n` and `merge` spread a run over machines. Figure 6 is a user's run with the default jobs.",
  "- **One queue for the jobs instead of shares split up front** (adopted, session 6): a test's cost is mostly booting and probing its cases and differs a hundredfold between tests, and a fresh clone has no timings.json to balance by, so the split was by count; the two halves of the suite then took 10.0 s and 24.1 s of CPU (user + system; `npm run conformance -- --shard=1/2` and `2/2`, `--durations=/nonexistent --seed=42 --runs=30`, one after the other), so one core sat idle for most of figure 6. Now this process and the child take the tests from one queue, a few at a time (the adapter's scenarios at once), each as soon as it is free, longest recorded first. Measured on a machine loaded by other work (load average 13–16 on 2 cores, so both cores were busy whatever the balance), `npm run conformance -- --seed=42 --runs=30`, old and new checkouts alternating: 92.9 → 76.9 s and 122.1 → 114.4 s (0.83 and 0.94). The queue's balance, measured directly (each process's own CPU at its end, same command, a local probe not kept): this process 16.4 s (70 tests, start-up and merging included), the child 15.7 s (46 tests), against 10.0 s and 24.1 s split up front. On a quiet machine the wall time should therefore go from the larger share's CPU to about half the total, about 0.7× at 30 runs; figure 6 is the measurement.",
  "- **workerd with `--jobs=2`** (not adopted: the default stays one job): 32 tests (`--grep='^(stubs|errors)/' --runs=10`), one job then two, twice: 17.7 s against 19.6 s, 30.6 s against 41.7 s (loaded machine). workerd's run already keeps several scenarios booting at once (its `concurrentScenarios` is 3), each a workerd process of its own; a second CLI adds a second Miniflare and workerd set competing for the same two cores.",
  "- **Where a probe's time goes** (session 6; `node --cpu-prof`-style sampling of the probe phase only, every 200 µs, 5,370 cases of calls/, stubs/, serialization/, visibility/ and errors/ already booted, 8 in flight): 819 cases per second of CPU, 1.2 ms per case, spread thin: the RPC call path (binding, stubs, dispatcher) and the harness codec a few per cent each, thrown errors crossing realms (`toCallerError`) about 9 %, host errors' stack text prepared through tsx's source maps (`prepareStackTraceWithSourceMaps`) about 5 %, `isDOMException`'s brand check (a thrown TypeError per non-DOMException object) about 2.5 %, undici's Request and Response a few per cent. No single function dominates; nothing was changed on this path this session. The tests that pull figure 5's rate down are few: limits/message-size and limits/wire-size (6 cases each, 1.3–1.8 s of CPU each: 32 MiB messages copied, sized by V8's serializer, and sized again by the test) and the ctx/ tests that wait on timers (ctx/floating-cancelled: 3.7 s of wall for 0.37 s of CPU).",
  "- **A larger young generation** (`node --max-semi-space-size=32`; the garbage collector is 13–20 % of the suite's CPU): no difference. The probe path of 61 tests at 40 cases (2,830 cases, booting included), without and with the flag, alternating, user + system CPU: 9.76 / 9.75, 9.39 / 9.72, 11.60 / 11.65, 12.28 / 11.15 s (pairs 1.00, 1.03, 1.00, 0.91). Not adopted.",
  "- **call-scope.ts's `keepsContextAlive`** walked every call's result (a Set of every object, `Object.values`, four `instanceof` per object): in a CPU profile of the whole suite at 30 runs in one process it was under 15.9 % of the samples (11.5 % self), the largest item after the garbage collector. It is gone: the result's copy counts the stubs and bodies it made (see the payload notes).",
  "- **One boot per batch** (adopted): the cases of a property run share one scenario (up to 100 cases' workers), so figure 5's boots are per batch, not per case; the table above says how the time splits between booting, probing and disposing.",
  "- **Slim callee harness** (adopted): a callee worker carries only the parts of harness.js it imports, cut by esbuild's tree shaking, instead of the whole 30 KB; each runtime compiles less per worker.",
  "- **Where a reference boot goes** (CPU profile of boots, issue 14 round two): `vm.createContext` about 21 % (one realm per worker is the model: each worker has its own globals and intrinsics), the garbage collector about 12 %, compiling scripts about 5 %, esbuild's transform (one per distinct module source: every case's source is generated, so nearly every one is distinct; the shared harness is cached) about 5 %. Not tried yet: a cheaper compile-cache key in reference/loading/loader.ts (it builds a string of the whole source per lookup, about 3 % of boot).",
  "- **workerd's boots** dominate its figure 5 (the table's boot sum): each batch boots every case's workers in workerd through Miniflare (34 ms per worker in the previous quiet run, against the reference's 6 ms). The slim harness above cut what each worker compiles; the number of workers a run boots is set by the tests' run counts, and was not changed this round.",
  "",
];

interface ProfileRow {
  where: string;
  selfMs: number;
  share: number;
}

/**
 * Run `work` under V8's CPU profiler (this process only: the reference runs in it, workerd does
 * not) and return the functions with the most self time, by function and file.
 */
async function cpuProfile(work: () => Promise<void>): Promise<ProfileRow[]> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  try {
    await work();
  } catch (error) {
    await session.post("Profiler.stop");
    session.disconnect();
    throw error;
  }
  const { profile: cpu } = await session.post("Profiler.stop");
  session.disconnect();
  const selfMs = new Map<string, number>();
  const byId = new Map(cpu.nodes.map((n) => [n.id, n]));
  cpu.samples?.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.replace(/^.*\/(reference|conformance|node_modules\/[^/]+)\//, "$1/").replace(/^file:\/\//, "");
    const key = `${frame.functionName || "(anonymous)"} ${file}`.trim();
    selfMs.set(key, (selfMs.get(key) ?? 0) + (cpu.timeDeltas?.[i] ?? 0) / 1000);
  });
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  return [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([where, ms]) => ({ where, selfMs: Math.round(ms), share: Math.round((1000 * ms) / total) / 10 }));
}

/** Figure 5's run, seen from the adapter: how much of it was booting scenarios and how much probing. */
function breakdownSection(breakdowns: Record<string, SuiteBreakdown & { wallMs: number; cases: number; parallel: number }>): string[] {
  if (Object.keys(breakdowns).length === 0) return [];
  const ms = (x: number) => `${(x / 1000).toFixed(1)} s`;
  return [
    "## Where the suite's time goes (figure 5)",
    "",
    "Measured by wrapping the adapter: the time spent in `start` (booting a batch of cases: one scenario of up to 100 cases' workers), in each scenario's probe phase (first probe request to last answer, 8 requests in flight), and in `dispose`. Scenarios of different tests overlap up to the adapter's `concurrentScenarios`, so the sums can exceed the wall time; what is left of the wall time is fast-check generating and checking cases.",
    "",
    "| runtime | wall | scenarios | workers booted | booting (sum) | per worker | probe requests | probe phases (sum) | disposing (sum) | tests at once |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...Object.entries(breakdowns).map(
      ([name, b]) =>
        `| ${name} | ${ms(b.wallMs)} | ${b.scenarios} | ${b.workers} | ${ms(b.startMs)} | ${(b.startMs / Math.max(1, b.workers)).toFixed(2)} ms | ${b.probes} | ${ms(b.probePhaseMs)} | ${ms(b.disposeMs)} | ${b.parallel} |`,
    ),
    "",
    "Slowest tests (from the start of their check; their scenarios may have been booting before):",
    "",
    ...Object.entries(breakdowns).map(([name, b]) => `- ${name}: ${(b.slowest ?? []).map((t) => `${t.id} ${ms(t.ms)}`).join(", ")}`),
    "",
  ];
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
