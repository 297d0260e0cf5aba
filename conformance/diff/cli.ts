/**
 * `npm run diff -- --adapters=<a>,<b> [--profile=<name>[,<name>]] [--runs=N] [--seed=S] [--path=P]
 *   [--grep=<family regex>] [--report-dir=DIR] [--bundle=DIR]`
 *
 * Runs generated scenarios on two runtimes and reports every divergence group (README.md of
 * conformance/, "Differential runs"). Exit status: 0 when every divergence found is in the known
 * list (conformance/diff/known-divergences.json, or --known), 1 when a new one is found, 2 on bad usage.
 */
import { parseArgs } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveAdapter } from "../adapters/index.ts";
import type { Adapter } from "../contract.ts";
import { PROFILES, resolveProfile } from "../engine/profiles.ts";
import { loadWranglerConfigs } from "../../reference/index.ts";
import { FAMILIES, selectFamilies } from "./families.ts";
import { replayBundle, runDiff, type KnownDivergence } from "./engine.ts";

const USAGE = `usage: npm run diff -- --adapters=<a>,<b> [options]

  --adapters=<a>,<b>    the two runtimes to compare (built-in names or adapter module paths), e.g. reference,workerd
  --profile=<p>[,<p>]   compatibility profile(s): ${Object.keys(PROFILES).join(", ")} (default: current)
  --runs=<n>            generated scenarios per family (default: 20; the limits family gets 5% of it)
  --seed=<int>          fast-check seed (default: random, printed)
  --path=<str>          replay one counterexample (with --seed and --grep naming one family)
  --grep=<regex>        only families whose name matches: ${FAMILIES.map((f) => f.name).join(", ")}
  --report-dir=<dir>    where summary and bundles go (default: reports/diff/<a>-vs-<b>/<profile>)
  --known=<file>        known divergences (default: conformance/diff/known-divergences.json)
  --bundle=<dir>        boot a divergence bundle on both runtimes and print where they differ
  --batch-size=<n>      scenarios booted together (default: 40)
  --shrink-budget=<n>   single-case boots per group while shrinking (default: 10)
  --mask-known          group each case by its first difference NOT in the known list (finds what known ones hide)
  --lens=outcomes       compare only how each step ended and the plain data it produced (looks past surface differences)
  --list                print the families and the normalisations, then exit
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        adapters: { type: "string" },
        profile: { type: "string", default: "current" },
        runs: { type: "string", default: "20" },
        seed: { type: "string" },
        path: { type: "string" },
        grep: { type: "string" },
        "report-dir": { type: "string" },
        known: { type: "string" },
        bundle: { type: "string" },
        "batch-size": { type: "string" },
        "shrink-budget": { type: "string" },
        concurrency: { type: "string" },
        list: { type: "boolean" },
        "mask-known": { type: "boolean" },
        lens: { type: "string", default: "full" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.list) {
    const { NORMALISATIONS } = await import("./normalisations.ts");
    process.stdout.write(`families:\n${FAMILIES.map((f) => `  ${f.name.padEnd(15)} ${f.description}`).join("\n")}\n\nnormalisations:\n`);
    process.stdout.write(NORMALISATIONS.map((n) => `  ${n.name.padEnd(20)} ${n.reason}`).join("\n") + "\n");
    return 0;
  }
  const int = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} expects an integer, got "${value}"`);
    return Number(value);
  };
  const names = (values.adapters ?? "").split(",").filter(Boolean);
  if (names.length !== 2) throw new UsageError(`--adapters needs two adapters separated by a comma, e.g. --adapters=reference,workerd`);
  const adapters: [Adapter, Adapter] = [await resolveAdapter(names[0]!), await resolveAdapter(names[1]!)];
  try {
    if (values.bundle) {
      const diff = await replayBundle(values.bundle, adapters, (paths) => loadWranglerConfigs(paths, { onWarning: () => {} }));
      if (diff.length === 0) process.stdout.write(`no divergence: ${adapters[0].name} and ${adapters[1].name} observe the same\n`);
      for (const d of diff) process.stdout.write(`${d.path}\n  ${adapters[0].name}: ${JSON.stringify(d.a)}\n  ${adapters[1].name}: ${JSON.stringify(d.b)}\n`);
      return diff.length === 0 ? 0 : 1;
    }
    const families = selectFamilies(values.grep);
    if (families.length === 0) throw new UsageError(`--grep=${values.grep} matches no family (${FAMILIES.map((f) => f.name).join(", ")})`);
    if (values.path !== undefined && families.length !== 1) throw new UsageError("--path replays one family's counterexample: add --grep naming one family");
    const profiles = values.profile!.split(",").map((p) => {
      try {
        return resolveProfile(p);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    });
    const seed = int("seed", values.seed) ?? (Math.random() * 2 ** 31) | 0;
    const runs = int("runs", values.runs)!;
    const knownFile = values.known ?? join(import.meta.dirname, "known-divergences.json");
    const known = existsSync(knownFile) ? (JSON.parse(readFileSync(knownFile, "utf8")).divergences as KnownDivergence[]) : [];
    let fresh = 0;
    for (const profile of profiles) {
      const reportDir = values["report-dir"] ? (profiles.length > 1 ? join(values["report-dir"], profile.name) : values["report-dir"]) : join("reports", "diff", `${adapters[0].name}-vs-${adapters[1].name}`, profile.name);
      process.stderr.write(`diff ${adapters[0].name} vs ${adapters[1].name}, profile ${profile.name}, seed ${seed}, ${runs} runs per family (${families.map((f) => f.name).join(", ")})\n`);
      const result = await runDiff({
        adapters,
        profile,
        families,
        runs,
        seed,
        path: values.path,
        batchSize: int("batch-size", values["batch-size"]),
        concurrency: int("concurrency", values.concurrency),
        shrinkBudget: int("shrink-budget", values["shrink-budget"]),
        reportDir: values.path === undefined ? reportDir : undefined,
        adapterArgs: names.join(","),
        known,
        maskKnown: values["mask-known"],
        lens: lensOption(values.lens),
        log: (line) => process.stderr.write(`  ${line}\n`),
      });
      const primary = result.groups.filter((g) => g.primary);
      process.stderr.write(`${result.scenarios} scenarios, ${primary.length} divergence groups (${result.groups.length - primary.length} more paths differ only behind them)\n`);
      for (const g of primary) {
        process.stdout.write(`\n[${profile.name}] ${g.known ? "known" : "NEW"} divergence ${g.family} ${g.group} (${g.count} cases)\n`);
        process.stdout.write(`  differs at ${g.path}\n    ${adapters[0].name}: ${clip(g.a)}\n    ${adapters[1].name}: ${clip(g.b)}\n`);
        if (g.replay) process.stdout.write(`  seed ${g.seed}${g.fcPath ? `, path ${g.fcPath}` : ""}\n  replay: ${g.replay}\n`);
        if (g.bundle) process.stdout.write(`  bundle: ${join(reportDir, g.bundle)}\n`);
        if (!g.known) fresh++;
      }
      for (const e of result.errors) process.stdout.write(`error: ${e}\n`);
      if (values.path === undefined) process.stderr.write(`summary: ${join(reportDir, "summary.md")}\n`);
    }
    return fresh === 0 ? 0 : 1;
  } finally {
    for (const a of adapters) await a.close?.();
  }
}

function lensOption(value: string | undefined): "full" | "outcomes" {
  if (value === "full" || value === "outcomes") return value;
  throw new UsageError(`--lens is "full" or "outcomes", got "${value}"`);
}

function clip(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`diff: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`diff: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
