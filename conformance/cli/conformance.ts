/**
 * `npm run conformance -- [--adapter=<name|path>] [--profile=<name>] [--grep=<regex>] [--seed=<int>]
 *   [--path=<str>] [--runs=<n>] [--report-dir=<dir>]`
 *
 * Exit status: 0 when every outcome matches expectations, 1 when any does not, 2 on bad usage
 * (unknown adapter, unknown option, malformed value).
 */
import { parseArgs, styleText } from "node:util";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { ADAPTER_CONTRACT_VERSION } from "../contract.ts";
import { dropPassingExpectations, expectationsFile, expectationsSkeleton, labelExpectationsFile } from "../engine/expectations.ts";
import { reproDir, writeReproBundle } from "../report/repro.ts";
import { junitXml } from "../report/junit.ts";
import { writeMatrix } from "../report/html.ts";
import { BUILTIN_ADAPTERS, MissingPackageError, UnknownAdapterError, parseAdapterOptions, resolveAdapter } from "../adapters/index.ts";
import type { Adapter } from "../contract.ts";
import { loadExpectations, loadExpectationsFile } from "../engine/expectations.ts";
import { BAD_OUTCOMES } from "../engine/outcomes.ts";
import { DEFAULT_PROFILE, PROFILES, resolveProfile } from "../engine/profiles.ts";
import { buildResults, mergeResults, writeReports, type ResultsFile } from "../report/files.ts";
import { chooseSeed, isCi } from "../engine/seed.ts";
import { existsSync } from "node:fs";
import { runSuite, runtimeOf } from "../engine/runner.ts";
import type { TestResult } from "../engine/results.ts";
import { loadSpec } from "../../spec/index.ts";
import { registeredTests, type ConformanceTest } from "../engine/define.ts";
import { mergeCommand, MERGE_USAGE } from "../engine/merge.ts";
import { loadDurations, parseShard, shardTests, ShardError, type Shard, type ShardResultsFile } from "../engine/shard.ts";
import { isJob, reportToParent, runForParent, runInJobs } from "../engine/jobs.ts";
import { availableParallelism } from "node:os";
import "../tests/index.ts";

/** Outcomes that get a repro bundle by default; `--repro=all` adds every other outcome with a counterexample. */
const REPRO_BY_DEFAULT: ReadonlySet<string> = new Set(["fail", "unexpectedPass", "timeout"]);

const USAGE = `usage: npm run conformance -- [options]

  --adapter=<name|path>  runtime to test: ${Object.keys(BUILTIN_ADAPTERS).join(", ")}, or a path to an adapter module (default: reference)
  --adapter-option=<key=value>  an option for the adapter (repeatable), e.g. --adapter=capnweb --adapter-option=transport=string;
                         a built-in adapter's options are listed under "Adapter options" below
  --profile=<name>       compatibility profile: ${Object.keys(PROFILES).join(", ")} (default: ${DEFAULT_PROFILE})
  --grep=<regex>         only tests whose id matches
  --seed=<int|random>    fast-check seed (default: random, printed; with --ci or CI set: fixed, from the suite version)
  --ci                   CI mode (also when the CI environment variable is set): the default seed is fixed
  --path=<str>           fast-check path, to replay one counterexample (with --seed)
  --runs=<n>             cases per property (default: each test's own, usually 100)
  --report-dir=<dir>     where results go (default: reports/<adapter>)
  --repro=<which>        repro bundles to write: failures (fail and unexpectedPass, default), all (also expected failures and the rest), none
  --deadline=<ms>        per-test deadline (default: 120000)
  --probe-deadline=<ms>  per-case deadline: a probe that takes longer makes the test a timeout, with that case (default: 60000)
  --batch-size=<n>       most cases booted together in one scenario (default: 100)
  --concurrency=<n>      probe requests in flight at once within a scenario (default: 8)
  --parallel=<n>         tests whose scenarios may be booted at once (default: what the adapter allows, else 1)
  --reporter=<name>      text (progress on stderr, default), json (quiet; results on stdout), junit (also writes junit.xml and prints it)
  --expectations=<file>  expectations file (default: conformance/expectations/<adapter>.json)
  --skeleton-from=<results.json>  print a skeleton expectations file for that run's failures, then exit
  --update-expectations  remove expectations of tests that now pass, instead of failing the run
  --label-expectations=<results.json>  add the checks that failed in that run to the matching entries of the
                         expectations file (repeatable: several runs, seeds or profiles), then exit
  --list                 print the test ids and the requirements they check, then exit
  --shard=<i>/<n>        run the i-th of n deterministic shares of the selected tests (default report dir:
                         reports/<adapter>+shard-<i>-of-<n>); balanced by the durations in --durations
  --durations=<file>     a run's timings.json, or the results.json beside it, to balance shards by
                         (default: reports/<adapter>/results.json, i.e. its timings.json, if any)
  --jobs=<n>             processes sharing the run, each taking tests from one queue as it is free (default:
                         for the in-process reference runtime, one per core up to 4 when 20 or more tests
                         run; else 1)

${MERGE_USAGE.replace(/^usage: /, "")}
Expected failures live in conformance/expectations/<adapter>.json (or --expectations); --skeleton-from
prints a skeleton for the failures of a run. Exit status: 0 when every outcome matches expectations,
1 otherwise, 2 on bad usage.

Adapter options:
${Object.entries(BUILTIN_ADAPTERS)
  .filter(([, a]) => a.options)
  .map(([name, a]) => Object.entries(a.options!).map(([key, what]) => `  ${name}: ${key}=…  ${what}`).join("\n"))
  .join("\n")}
`;

class UsageError extends Error {}


function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} expects an integer, got "${value}"`);
  return Number(value);
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        adapter: { type: "string", default: "reference" },
        "adapter-option": { type: "string", multiple: true },
        profile: { type: "string", default: DEFAULT_PROFILE },
        grep: { type: "string" },
        seed: { type: "string" },
        ci: { type: "boolean" },
        "probe-deadline": { type: "string" },
        "label-expectations": { type: "string", multiple: true },
        path: { type: "string" },
        runs: { type: "string" },
        "report-dir": { type: "string" },
        repro: { type: "string", default: "failures" },
        deadline: { type: "string" },
        "batch-size": { type: "string" },
        concurrency: { type: "string" },
        parallel: { type: "string" },
        list: { type: "boolean" },
        reporter: { type: "string", default: "text" },
        "update-expectations": { type: "boolean" },
        expectations: { type: "string" },
        "skeleton-from": { type: "string" },
        shard: { type: "string" },
        durations: { type: "string" },
        jobs: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args["skeleton-from"]) {
    const results = JSON.parse(readFileSync(args["skeleton-from"], "utf8")) as ResultsFile;
    process.stdout.write(expectationsSkeleton(results.tests, results.adapter.version));
    return 0;
  }
  if (args["label-expectations"]) {
    const file = resolve(args.expectations ?? expectationsFile(args.adapter!));
    const runs = args["label-expectations"].map((f) => JSON.parse(readFileSync(f, "utf8")) as ResultsFile);
    const changed = labelExpectationsFile(file, runs);
    process.stderr.write(`expectations: ${changed.length ? `added checks to ${changed.length} entries (${changed.join(", ")})` : "nothing to add"} in ${file}\n`);
    return 0;
  }
  if (!["text", "json", "junit"].includes(args.reporter!)) throw new UsageError(`--reporter must be text, json or junit, got "${args.reporter}"`);
  const grep = args.grep !== undefined ? new RegExp(args.grep) : undefined;
  const selected = registeredTests().filter((t) => !grep || grep.test(t.id));
  let shard: Shard | undefined;
  let tests = selected;
  const profileDir = args.profile === DEFAULT_PROFILE ? [] : ["profiles", args.profile!];
  const durationsFile = resolve(args.durations ?? join("reports", basename(args.adapter!).replace(/\.[cm]?[jt]s$/, ""), ...profileDir, "results.json"));
  if (args.shard !== undefined) {
    try {
      shard = parseShard(args.shard);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    tests = shardTests(selected, shard, loadDurations(durationsFile));
  }
  if (args.list) {
    for (const t of tests) process.stdout.write(`${t.id}  ${t.requirements.join(", ")}\n`);
    return 0;
  }
  if (selected.length === 0) throw new UsageError(`--grep=${args.grep} matches no test (see --list)`);

  const profile = (() => {
    try {
      return resolveProfile(args.profile!);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const adapterOptionPairs = (args["adapter-option"] ?? []) as string[];
  const adapterOptions = parseAdapterOptions(adapterOptionPairs);
  let adapter: Adapter;
  try {
    adapter = await resolveAdapter(args.adapter!, adapterOptions);
  } catch (error) {
    if (error instanceof UnknownAdapterError || error instanceof MissingPackageError) throw error;
    // The adapter module itself crashed: still run, so every test is reported (as an error).
    adapter = brokenAdapter(args.adapter!, error);
  }
  if (!["failures", "all", "none"].includes(args.repro!)) throw new UsageError(`--repro must be failures, all or none, got "${args.repro}"`);
  let seed: number;
  let seedWhy: string;
  try {
    ({ seed, why: seedWhy } = chooseSeed(args.seed, args.ci === true || isCi()));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const numRuns = intOption("runs", args.runs);
  const spec = loadSpec();
  const expectations = args.expectations ? loadExpectationsFile(resolve(args.expectations)) : loadExpectations(adapter.name);
  const reportDir = resolve(
    args["report-dir"] ??
      join("reports", adapter.name + (shard ? `+shard-${shard.index}-of-${shard.count}` : ""), ...(profile.name === DEFAULT_PROFILE ? [] : ["profiles", profile.name])),
  );

  const quiet = args.reporter === "json";
  const log = (line: string) => {
    if (!quiet) process.stderr.write(line + "\n");
  };
  // A run limited by --grep replaces only its own tests' repro bundles (and merges its results).
  if (args.grep === undefined) rmSync(join(reportDir, "repro"), { recursive: true, force: true });
  else for (const t of tests) rmSync(reproDir(reportDir, t.id), { recursive: true, force: true });
  log(`conformance: ${tests.length} tests${shard ? ` (shard ${shard.index}/${shard.count} of ${selected.length})` : ""}, adapter ${adapter.name}, profile ${profile.name} (${profile.compatibilityDate}), seed ${seed} (${seedWhy})`);
  const symbols: Record<string, string> = {
    pass: styleText("green", "✓"),
    fail: styleText("red", "✗"),
    expectedFail: styleText("yellow", "x"),
    unexpectedPass: styleText("magenta", "!"),
    skip: styleText("gray", "-"),
    error: styleText("red", "E"),
    timeout: styleText("red", "T"),
  };
  // The reference runs in this process, on one thread: give it the machine's other cores too.
  const jobs =
    intOption("jobs", args.jobs) ??
    (args.adapter === "reference" && !shard && args.path === undefined && !args["update-expectations"] && tests.length >= 20 && (numRuns ?? 100) >= 20
      ? Math.min(4, availableParallelism())
      : 1);
  if (jobs < 1) throw new UsageError(`--jobs must be at least 1, got ${jobs}`);
  if (jobs > 1 && (shard || args.path !== undefined || args["update-expectations"])) {
    throw new UsageError("--jobs cannot be combined with --shard, --path or --update-expectations");
  }
  if (jobs > 1) log(`running as ${jobs} jobs (this process and ${jobs - 1} child process${jobs > 2 ? "es" : ""}, taking tests from one queue; --jobs=1 to run in one)`);
  let done = 0;
  // A run in pieces (--jobs: a share at a time) asks the adapter for its runtime once.
  const runtime = runtimeOf(adapter);
  const runShare = async (share: readonly ConformanceTest<any>[]) =>
    runSuite({
      adapter,
      runtime: await runtime,
      adapterSpec: args.adapter!,
      profile,
      tests: share,
      expectations,
      seed,
      path: args.path,
      numRuns,
      batchSize: intOption("batch-size", args["batch-size"]) ?? 100,
      concurrency: intOption("concurrency", args.concurrency) ?? 8,
      parallel: intOption("parallel", args.parallel),
      deadlineMs: intOption("deadline", args.deadline) ?? 120_000,
      probeDeadlineMs: intOption("probe-deadline", args["probe-deadline"]),
      replayFlags: adapterOptionPairs.map((o) => `--adapter-option=${o}`),
      onTestEnd,
    });

  function onTestEnd(result: TestResult) {
    reportToParent(result);
    done++;
    const head = `${symbols[result.outcome]} [${done}/${tests.length}] ${result.id} (${result.requirements.join(", ")}) ${result.numRuns} runs, ${result.durationMs} ms`;
    log(result.outcome === "pass" ? head : `${head} — ${result.outcome}`);
    if (result.outcome !== "pass" && result.outcome !== "expectedFail") {
      if (result.label) log(indent(`check: ${result.label}`));
      if (result.message) log(indent(result.message));
      if (result.counterexample) log(indent(`counterexample: ${result.counterexample.slice(0, 2000)}`));
      if (result.replay) log(indent(`seed ${result.seed}, path ${result.path}\n  replay: ${result.replay}`));
    }
  }
  const jobArgs = [
    `--adapter=${args.adapter}`,
    `--profile=${args.profile}`,
    `--seed=${seed}`,
    ...adapterOptionPairs.map((o) => `--adapter-option=${o}`),
    ...(args.grep !== undefined ? [`--grep=${args.grep}`] : []),
    ...(numRuns !== undefined ? [`--runs=${numRuns}`] : []),
    ...(["deadline", "probe-deadline", "batch-size", "concurrency", "parallel", "expectations"] as const).flatMap((o) => (args[o] !== undefined ? [`--${o}=${args[o]}`] : [])),
  ];
  const run = isJob()
    ? await runForParent(tests, runShare, () => runtime)
    : jobs > 1
      ? await runInJobs({
          jobs,
          selected: tests,
          durations: loadDurations(durationsFile),
          chunk: intOption("parallel", args.parallel) ?? adapter.concurrentScenarios ?? 1,
          args: jobArgs,
          reportDir,
          runShare,
          runtime: () => runtime,
          onTestEnd,
        })
      : await runShare(tests);
  await adapter.close?.();

  for (const result of run.tests) {
    const scenario = result.property?.counterexampleScenario;
    if (!scenario || args.repro === "none" || (args.repro === "failures" && !REPRO_BY_DEFAULT.has(result.outcome))) continue;
    try {
      result.repro = relative(process.cwd(), writeReproBundle(reproDir(reportDir, result.id), {
        testId: result.id,
        title: result.title,
        requirements: result.requirements,
        adapterName: adapter.name,
        runtime: `${run.runtime.name} ${run.runtime.version}`,
        profile,
        scenario,
        message: result.message ?? "",
        observed: result.observed,
        check: result.label,
        replay: result.replay ?? "",
      }));
    } catch (error) {
      log(`  (no repro bundle for ${result.id}: ${(error as Error).message})`);
    }
  }
  if (args["update-expectations"]) {
    const removed = dropPassingExpectations(
      expectations,
      run.tests.filter((t) => t.outcome === "unexpectedPass").map((t) => t.id),
    );
    for (const t of run.tests) if (removed.includes(t.id)) t.outcome = "pass";
    if (removed.length) log(`expectations: removed ${removed.length} entries that now pass from ${expectations.file}`);
  }

  let results: ShardResultsFile = buildResults(
    run,
    { adapterName: adapter.name, adapterSpec: args.adapter!, profile, seed, numRuns, grep: args.grep, adapterOptions, emulates: adapter.emulates },
    spec,
  );
  if (shard) results.shard = shard;
  else if (args.grep !== undefined) {
    const previous = readPreviousResults(join(reportDir, "results.json"));
    const merged = previous && mergeResults(previous, results, spec);
    if (merged) {
      log(`results: merged into the ${previous!.tests.length - tests.filter((t) => previous!.tests.some((p) => p.id === t.id)).length} other tests' results already in ${join(reportDir, "results.json")}`);
      results = merged;
    }
  }
  const written = writeReports(reportDir, results);
  const t = results.totals;
  log(
    `\n${run.runtime.name} ${run.runtime.version}: ${t.pass} passed, ${t.fail} failed, ${t.expectedFail} expected failures, ` +
      `${t.unexpectedPass} unexpected passes, ${t.skip} skipped, ${t.error} errors, ${t.timeout} timeouts (${(run.durationMs / 1000).toFixed(1)} s)`,
  );
  log(`results: ${written.json}\nsummary: ${written.markdown}`);
  if (args.reporter === "json") process.stdout.write(JSON.stringify(results, null, 2) + "\n");
  if (args.reporter === "junit") {
    const xml = junitXml(results);
    writeFileSync(join(reportDir, "junit.xml"), xml);
    process.stdout.write(xml);
    log(`junit: ${join(reportDir, "junit.xml")}`);
  }
  // The matrix page covers every adapter under a `reports/` folder; other report dirs get none.
  const reportsRoot = dirname(reportDir.replace(/\/profiles\/[^/]+$/, ""));
  if (basename(reportsRoot) === "reports" && !shard) log(`matrix: ${writeMatrix(reportsRoot)}`);
  return run.tests.some((r) => BAD_OUTCOMES.has(r.outcome)) ? 1 : 0;
}

/** The results.json a `--grep` run merges into, if it can be read. */
function readPreviousResults(file: string): ResultsFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ResultsFile;
  } catch {
    return undefined;
  }
}

/** Stands in for an adapter whose module failed to load, so the run still reports 0 of N. */
function brokenAdapter(spec: string, error: unknown): Adapter {
  const message = `the adapter ${spec} failed to load: ${error instanceof Error ? error.message : String(error)}`;
  return {
    name: basename(spec).replace(/\.[cm]?[jt]s$/, ""),
    contractVersion: ADAPTER_CONTRACT_VERSION,
    async runtime() {
      return { name: spec, version: "unknown (adapter failed to load)" };
    },
    async start() {
      throw new Error(message);
    },
  };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

const argv = process.argv.slice(2);
(argv[0] === "merge" ? mergeCommand(argv.slice(1)) : main(argv)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof ShardError) {
      process.stderr.write(`conformance: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof UsageError || error instanceof UnknownAdapterError || error instanceof MissingPackageError) {
      process.stderr.write(`conformance: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(`\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
