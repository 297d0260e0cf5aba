/**
 * `npm run conformance -- [--adapter=<name|path>] [--profile=<name>] [--grep=<regex>] [--seed=<int>]
 *   [--path=<str>] [--runs=<n>] [--report-dir=<dir>]`
 *
 * Exit status: 0 when every outcome matches expectations, 1 when any does not, 2 on bad usage
 * (unknown adapter, unknown option, malformed value).
 */
import { parseArgs, styleText } from "node:util";
import { join, resolve } from "node:path";
import { BUILTIN_ADAPTERS, UnknownAdapterError, resolveAdapter } from "./adapters/index.ts";
import { createReferenceAdapter } from "./adapters/reference.ts";
import type { Adapter } from "./contract.ts";
import { loadExpectations } from "./expectations.ts";
import { BAD_OUTCOMES } from "./outcomes.ts";
import { DEFAULT_PROFILE, PROFILES, resolveProfile } from "./profiles.ts";
import { buildResults, writeReports } from "./report.ts";
import { runSuite, type TestResult } from "./runner.ts";
import { loadSpec } from "../spec/index.ts";
import { FAULTS, type Fault } from "../reference/index.ts";
import { registeredTests } from "./define.ts";
import "./tests/index.ts";

const USAGE = `usage: npm run conformance -- [options]

  --adapter=<name|path>  runtime to test: ${Object.keys(BUILTIN_ADAPTERS).join(", ")}, or a path to an adapter module (default: reference)
  --profile=<name>       compatibility profile: ${Object.keys(PROFILES).join(", ")} (default: ${DEFAULT_PROFILE})
  --grep=<regex>         only tests whose id matches
  --seed=<int>           fast-check seed (default: random, printed)
  --path=<str>           fast-check path, to replay one counterexample (with --seed)
  --runs=<n>             cases per property (default: each test's own, usually 100)
  --report-dir=<dir>     where results go (default: reports/<adapter>)
  --deadline=<ms>        per-test deadline (default: 120000)
  --fault=<name>         run the reference runtime with a deliberate fault (repeatable; for the project's own tests)
  --list                 print the test ids and the requirements they check, then exit
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
        profile: { type: "string", default: DEFAULT_PROFILE },
        grep: { type: "string" },
        seed: { type: "string" },
        path: { type: "string" },
        runs: { type: "string" },
        "report-dir": { type: "string" },
        deadline: { type: "string" },
        fault: { type: "string", multiple: true },
        "batch-size": { type: "string" },
        concurrency: { type: "string" },
        list: { type: "boolean" },
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
  const grep = args.grep !== undefined ? new RegExp(args.grep) : undefined;
  const tests = registeredTests().filter((t) => !grep || grep.test(t.id));
  if (args.list) {
    for (const t of tests) process.stdout.write(`${t.id}  ${t.requirements.join(", ")}\n`);
    return 0;
  }
  if (tests.length === 0) throw new UsageError(`--grep=${args.grep} matches no test (see --list)`);

  const profile = (() => {
    try {
      return resolveProfile(args.profile!);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const faults = (args.fault ?? []) as Fault[];
  for (const f of faults) if (!(f in FAULTS)) throw new UsageError(`unknown fault "${f}"; known faults: ${Object.keys(FAULTS).join(", ")}`);
  let adapter: Adapter;
  if (faults.length) {
    if (args.adapter !== "reference") throw new UsageError("--fault only applies to --adapter=reference");
    adapter = createReferenceAdapter({ faults });
  } else {
    adapter = await resolveAdapter(args.adapter!);
  }
  const seed = intOption("seed", args.seed) ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const numRuns = intOption("runs", args.runs);
  const spec = loadSpec();
  const expectations = loadExpectations(adapter.name);
  const reportDir = resolve(
    args["report-dir"] ?? join("reports", adapter.name, ...(profile.name === DEFAULT_PROFILE ? [] : ["profiles", profile.name])),
  );

  const log = (line: string) => process.stderr.write(line + "\n");
  log(`conformance: ${tests.length} tests, adapter ${adapter.name}, profile ${profile.name} (${profile.compatibilityDate}), seed ${seed}`);
  const symbols: Record<string, string> = {
    pass: styleText("green", "✓"),
    fail: styleText("red", "✗"),
    expectedFail: styleText("yellow", "x"),
    unexpectedPass: styleText("magenta", "!"),
    skip: styleText("gray", "-"),
    error: styleText("red", "E"),
    timeout: styleText("red", "T"),
  };
  let done = 0;
  const run = await runSuite({
    adapter,
    adapterSpec: args.adapter!,
    profile,
    tests,
    expectations,
    seed,
    path: args.path,
    numRuns,
    batchSize: intOption("batch-size", args["batch-size"]) ?? 100,
    concurrency: intOption("concurrency", args.concurrency) ?? 8,
    deadlineMs: intOption("deadline", args.deadline) ?? 120_000,
    replayFlags: faults.map((f) => `--fault=${f}`),
    onTestEnd(result: TestResult) {
      done++;
      const head = `${symbols[result.outcome]} [${done}/${tests.length}] ${result.id} (${result.requirements.join(", ")}) ${result.numRuns} runs, ${result.durationMs} ms`;
      log(result.outcome === "pass" ? head : `${head} — ${result.outcome}`);
      if (result.outcome !== "pass" && result.outcome !== "expectedFail") {
        if (result.message) log(indent(result.message));
        if (result.counterexample) log(indent(`counterexample: ${result.counterexample.slice(0, 2000)}`));
        if (result.replay) log(indent(`seed ${result.seed}, path ${result.path}\n  replay: ${result.replay}`));
      }
    },
  });
  await adapter.close?.();

  const results = buildResults(run, { adapterName: adapter.name, adapterSpec: args.adapter!, profile, seed, numRuns, grep: args.grep }, spec);
  const written = writeReports(reportDir, results);
  const t = results.totals;
  log(
    `\n${run.runtime.name} ${run.runtime.version}: ${t.pass} passed, ${t.fail} failed, ${t.expectedFail} expected failures, ` +
      `${t.unexpectedPass} unexpected passes, ${t.skip} skipped, ${t.error} errors, ${t.timeout} timeouts (${(run.durationMs / 1000).toFixed(1)} s)`,
  );
  log(`results: ${written.json}\nsummary: ${written.markdown}`);
  return run.tests.some((r) => BAD_OUTCOMES.has(r.outcome)) ? 1 : 0;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError || error instanceof UnknownAdapterError) {
      process.stderr.write(`conformance: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(`\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
