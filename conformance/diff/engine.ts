/**
 * The differential engine: the same generated scenarios on two adapters, observed deeply, compared
 * after normalisation. Batched like the conformance property runner (one boot per batch of cases,
 * never per case); fast-check shrinks each divergence group separately, constrained to stay in
 * its group, so one run reports many distinct divergences, each with a small counterexample.
 */
import * as fc from "fast-check";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Adapter, RunningScenario, Scenario, WorkerConfig } from "../contract.ts";
import type { Profile } from "../engine/profiles.ts";
import { mergeCases, singleCase, type CaseScenario } from "../engine/scenario.ts";
import { encode } from "../harness/harness.js";
import { wranglerToml } from "../report/repro.ts";
import { differences, type Difference } from "./compare.ts";
import { normalise, outcomesLens } from "./normalisations.ts";
import type { Family } from "./families.ts";

export interface DiffOptions {
  adapters: [Adapter, Adapter];
  profile: Profile;
  families: Family[];
  runs: number;
  seed: number;
  /** Replay one counterexample (with a single family). */
  path?: string;
  batchSize?: number;
  concurrency?: number;
  /** Single-case boots (on both adapters) allowed while shrinking one group. */
  shrinkBudget?: number;
  /** Most groups shrunk per family (the others are still counted and listed). */
  maxGroupsPerFamily?: number;
  reportDir?: string;
  /** How to spell the replay command (the CLI's adapter arguments). */
  adapterArgs: string;
  known?: KnownDivergence[];
  /** Group a case by its first difference that is not known (so known ones do not hide others). */
  maskKnown?: boolean;
  /** `outcomes`: compare only how each step ended and the plain data it produced (see outcomesLens). */
  lens?: "full" | "outcomes";
  log?: (line: string) => void;
}

export interface KnownDivergence {
  family: string;
  group: string;
  profiles?: string[];
  /** Whether it is a reference bug still to fix or needs a requirement first (and which). */
  status?: string;
  reason: string;
}

export interface DivergenceGroup {
  family: string;
  /** Where the observations first differ, with generated names replaced by `*`. */
  group: string;
  /** The concrete first differing path of the (shrunk) counterexample. */
  path: string;
  /** Cases of the sweep that differ at this group. */
  count: number;
  /** The first difference of at least one case (a divergence group proper); false: only ever behind another. */
  primary: boolean;
  a: unknown;
  b: unknown;
  /** Every differing path of the counterexample (capped). */
  differences: Difference[];
  counterexample: unknown;
  seed: number;
  fcPath?: string;
  replay: string;
  bundle?: string;
  known?: string;
  /** Both runtimes' observations of the counterexample (for its bundle; not in the summary). */
  observations?: [DeepObservation, DeepObservation];
}

export interface DiffResult {
  adapters: [string, string];
  profile: string;
  seed: number;
  scenariosPerFamily: Record<string, number>;
  scenarios: number;
  groups: DivergenceGroup[];
  errors: string[];
}

/** What one probe answered, on one runtime. */
export type DeepObservation = { steps: unknown[]; returned?: unknown[] } | { http: number; body: string } | { bootFailed: true; message: string } | { fetchFailed: string };

const caseKey = (family: string, c: unknown) => `${family}:${JSON.stringify(encode(c))}`;

/** Boot one merged scenario of `cases` and probe each; a failed boot is split until single cases fail alone. */
export async function observeBatch(adapter: Adapter, profile: Profile, cases: CaseScenario[], concurrency: number): Promise<DeepObservation[]> {
  const { scenario, probes } = mergeCases(cases, profile);
  let running: RunningScenario;
  try {
    running = await adapter.start(scenario);
  } catch (error) {
    if (cases.length === 1) return [{ bootFailed: true, message: messageOf(error) }];
    const half = Math.ceil(cases.length / 2);
    return [...(await observeBatch(adapter, profile, cases.slice(0, half), concurrency)), ...(await observeBatch(adapter, profile, cases.slice(half), concurrency))];
  }
  try {
    const out: DeepObservation[] = new Array(cases.length);
    let next = 0;
    const lane = async () => {
      while (next < probes.length) {
        const i = next++;
        out[i] = await probeDeep(running, probes[i]!.worker, probes[i]!.path);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, probes.length) }, lane));
    return out;
  } finally {
    await running.dispose().catch(() => {});
  }
}

async function probeDeep(running: RunningScenario, worker: string, path: string): Promise<DeepObservation> {
  let response: Response;
  try {
    response = await withTimeout(running.fetch(worker, new Request(`http://probe.invalid${path}`)), 60_000);
  } catch (error) {
    return { fetchFailed: messageOf(error) };
  }
  const text = await response.text().catch((error) => `<body unreadable: ${messageOf(error)}>`);
  try {
    const body = JSON.parse(text) as { harness?: string; steps?: unknown[]; returned?: unknown[] };
    if (response.status === 200 && body.harness === "deep" && Array.isArray(body.steps)) return { steps: body.steps, returned: body.returned ?? [] };
  } catch {
    // not an observation: recorded as what came back
  }
  return { http: response.status, body: text.slice(0, 300) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** When one runtime did not answer at all, that is the whole difference: the rest follows from it. */
function diffObservations(a: DeepObservation, b: DeepObservation, lens: DiffOptions["lens"] = "full"): Difference[] {
  const view = lens === "outcomes" ? (o: DeepObservation) => outcomesLens(comparable(o)) : comparable;
  const diff = differences(view(a), view(b));
  return diff[0]?.path === ".outcome" ? diff.slice(0, 1) : diff;
}

/** The boot failure message is the runtime's own prose; only the fact that it failed is compared. */
function comparable(o: DeepObservation): unknown {
  if ("bootFailed" in o) return { outcome: "boot failed" };
  if ("fetchFailed" in o) return { outcome: "probe request failed" };
  if ("http" in o) return { outcome: `HTTP ${o.http}`, body: o.body };
  return normalise({ outcome: "answered", ...o });
}

/** A collected case of a family, with the scenario it boots. */
interface Pending {
  family: Family;
  key: string;
  scenario: CaseScenario;
}

export function familyRuns(family: Family, runs: number): number {
  return Math.max(1, Math.round(runs * (family.weight ?? 1)));
}

export async function runDiff(options: DiffOptions): Promise<DiffResult> {
  const log = options.log ?? (() => {});
  const [adapterA, adapterB] = options.adapters;
  const { profile, seed } = options;
  const batchSize = options.batchSize ?? 40;
  const concurrency = options.concurrency ?? 8;
  const cacheA = new Map<string, DeepObservation>();
  const cacheB = new Map<string, DeepObservation>();
  const result: DiffResult = {
    adapters: [adapterA.name, adapterB.name],
    profile: profile.name,
    seed,
    scenariosPerFamily: {},
    scenarios: 0,
    groups: [],
    errors: [],
  };

  // 1. Collect every family's cases (same walk fc.check will make), then boot them in batches.
  const pending: Pending[] = [];
  if (options.path === undefined) {
    for (const family of options.families) {
      const numRuns = familyRuns(family, options.runs);
      const seen = new Set<string>();
      await fc.check(
        fc.asyncProperty(family.arbitrary, async (c) => {
          const key = caseKey(family.name, c);
          if (seen.has(key)) return;
          seen.add(key);
          pending.push({ family, key, scenario: family.scenario(c) });
        }),
        { seed, numRuns },
      );
      result.scenariosPerFamily[family.name] = seen.size;
    }
  }
  result.scenarios = pending.length;
  // Cheap families share batches; a family with a small weight (the limits) is booted a case at a time.
  const batches: Pending[][] = [];
  let current: Pending[] = [];
  for (const p of pending) {
    if ((p.family.weight ?? 1) < 1) {
      batches.push([p]);
      continue;
    }
    current.push(p);
    if (current.length >= batchSize) {
      batches.push(current);
      current = [];
    }
  }
  if (current.length) batches.push(current);
  let done = 0;
  for (const batch of batches) {
    const scenarios = batch.map((p) => p.scenario);
    const [obsA, obsB] = await Promise.all([
      observeBatch(adapterA, profile, scenarios, concurrency),
      observeBatch(adapterB, profile, scenarios, concurrency),
    ]);
    batch.forEach((p, i) => {
      cacheA.set(p.key, obsA[i]!);
      cacheB.set(p.key, obsB[i]!);
    });
    done += batch.length;
    log(`observed ${done}/${pending.length} scenarios on both runtimes`);
  }

  // 2. Group the sweep's cases by the paths where their observations differ. A case's primary
  // group is its first difference not already known, so known divergences do not hide new ones.
  const isKnown = (family: string, group: string) => knownEntry(options.known, family, group, profile.name) !== undefined;
  const sweepGroups = new Map<string, { family: Family; group: string; count: number; primary: number; example: Difference }>();
  for (const p of pending) {
    const diff = diffObservations(cacheA.get(p.key)!, cacheB.get(p.key)!, options.lens);
    if (diff.length === 0) continue;
    const primary = (options.maskKnown && diff.find((d) => !isKnown(p.family.name, d.group))) || diff[0]!;
    const seenHere = new Set<string>();
    for (const d of diff) {
      const id = `${p.family.name} ${d.group}`;
      if (seenHere.has(id)) continue;
      seenHere.add(id);
      const entry = sweepGroups.get(id) ?? { family: p.family, group: d.group, count: 0, primary: 0, example: d };
      entry.count++;
      if (d === primary) entry.primary++;
      sweepGroups.set(id, entry);
    }
  }

  // 3. Shrink each primary group on its own: the property fails only for cases showing that group.
  const observeOne = async (family: Family, c: unknown): Promise<[DeepObservation, DeepObservation]> => {
    const key = caseKey(family.name, c);
    if (!cacheA.has(key)) {
      const scenario = family.scenario(c);
      const [[a], [b]] = await Promise.all([observeBatch(adapterA, profile, [scenario], 1), observeBatch(adapterB, profile, [scenario], 1)]);
      cacheA.set(key, a!);
      cacheB.set(key, b!);
    }
    return [cacheA.get(key)!, cacheB.get(key)!];
  };

  const shrinkGroup = async (family: Family, target: string | undefined): Promise<DivergenceGroup | undefined> => {
    let budget = options.shrinkBudget ?? 10;
    const numRuns = familyRuns(family, options.runs);
    const property = fc.asyncProperty(family.arbitrary, async (c) => {
      const key = caseKey(family.name, c);
      if (!cacheA.has(key)) {
        if (options.path === undefined && budget-- <= 0) return; // budget spent: keep the smallest so far
      }
      const [a, b] = await observeOne(family, c);
      const diff = diffObservations(a, b, options.lens);
      if (diff.length === 0) return;
      if (target !== undefined && !diff.some((d) => `${family.name} ${d.group}` === target)) return;
      throw new DivergenceError(diff);
    });
    const details = await fc.check(property, { seed, numRuns, path: options.path });
    if (!details.failed || !details.counterexample) return undefined;
    const [c] = details.counterexample;
    const [a, b] = await observeOne(family, c);
    const diff = diffObservations(a, b, options.lens);
    const fcPath = details.counterexamplePath ?? undefined;
    const replay = `npm run diff -- --adapters=${options.adapterArgs} --profile=${profile.name} --grep='^${family.name}$' --seed=${seed} --runs=${options.runs}${options.lens === "outcomes" ? " --lens=outcomes" : ""}${fcPath ? ` --path=${fcPath}` : ""}`;
    const first = (target && diff.find((d) => `${family.name} ${d.group}` === target)) || diff[0]!;
    return {
      family: family.name,
      group: first.group,
      path: first.path,
      count: target ? (sweepGroups.get(target)?.count ?? 0) : 1,
      primary: true,
      a: first.a,
      b: first.b,
      differences: diff,
      counterexample: c,
      seed,
      fcPath,
      replay,
      observations: [a, b],
    };
  };

  if (options.path !== undefined) {
    for (const family of options.families) {
      const group = await shrinkGroup(family, undefined);
      if (group) result.groups.push(group);
    }
  } else {
    const perFamily = new Map<string, number>();
    for (const [id, entry] of [...sweepGroups.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const { family, count } = entry;
      const n = perFamily.get(family.name) ?? 0;
      const shrink = entry.primary > 0 && n < (options.maxGroupsPerFamily ?? 12);
      if (!shrink) {
        // Seen only behind another difference (or over the family's cap): listed with the sweep's example.
        result.groups.push({ family: family.name, group: entry.group, path: entry.example.path, count, primary: entry.primary > 0, a: entry.example.a, b: entry.example.b, differences: [], counterexample: undefined, seed, replay: "" });
        continue;
      }
      perFamily.set(family.name, n + 1);
      log(`shrinking ${id} (${count} case${count === 1 ? "" : "s"})`);
      try {
        const group = await shrinkGroup(family, id);
        if (group) result.groups.push(group);
      } catch (error) {
        result.errors.push(`${id}: ${messageOf(error)}`);
      }
    }
  }

  for (const group of result.groups) {
    const known = knownEntry(options.known, group.family, group.group, profile.name);
    if (known) group.known = known.reason;
  }
  if (options.reportDir) writeReports(options.reportDir, result, options);
  return result;
}

/** A known entry's family and group are globs: `*` matches any text (`[`, `.` and the rest match themselves). */
export function knownEntry(known: KnownDivergence[] | undefined, family: string, group: string, profile: string): KnownDivergence | undefined {
  return known?.find((k) => glob(k.family).test(family) && glob(k.group).test(group) && (!k.profiles || k.profiles.includes(profile)));
}

const globs = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
  let re = globs.get(pattern);
  if (!re) globs.set(pattern, (re = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`)));
  return re;
}

export class DivergenceError extends Error {
  constructor(readonly diff: Difference[]) {
    super(`observations differ first at ${diff[0]!.path}: ${short(diff[0]!.a)} vs ${short(diff[0]!.b)}`);
  }
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// bundles and the summary

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 80);

export function writeBundle(dir: string, group: DivergenceGroup, family: Family, profile: Profile, adapterArgs: string, observations: [DeepObservation, DeepObservation]): void {
  rmSync(dir, { recursive: true, force: true });
  const caseScenario = family.scenario(group.counterexample);
  const { scenario, probe } = singleCase(caseScenario, profile);
  const workers = [...scenario.workers].sort((a, b) => Number(b.name === probe) - Number(a.name === probe));
  for (const worker of workers) {
    for (const [path, source] of Object.entries(worker.modules)) {
      const file = join(dir, worker.name, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, source);
    }
    writeFileSync(join(dir, worker.name, "wrangler.toml"), wranglerToml(worker));
  }
  writeFileSync(join(dir, "bundle.json"), JSON.stringify({ probe, workers: workers.map((w) => w.name), family: family.name, profile: profile.name }, null, 2) + "\n");
  writeFileSync(
    join(dir, "observations.json"),
    JSON.stringify({ differences: group.differences, a: comparable(observations[0]), b: comparable(observations[1]), raw: observations.map(failureOf) }, null, 1) + "\n",
  );
  const [nameA, nameB] = adapterArgs.split(",");
  const here = relative(process.cwd(), dir) || ".";
  const rows = group.differences.map((d) => `| \`${d.path}\` | \`${short(d.a).replace(/\|/g, "\\|")}\` | \`${short(d.b).replace(/\|/g, "\\|")}\` |`).join("\n");
  writeFileSync(
    join(dir, "README.md"),
    `# Divergence: ${family.name} ${group.group}

${nameA} and ${nameB} observe different things for the same program (profile \`${profile.name}\`,
compatibility date ${profile.compatibilityDate}). The worker \`${probe}\` is the probe: its \`fetch\` runs
the steps and answers with the deep observation (\`observeDeep\` in harness.js) of each. Both
observations, normalised, are in \`observations.json\`.

| path | ${nameA} | ${nameB} |
|---|---|---|
${rows}

Generated case:

\`\`\`js
${fc.stringify(group.counterexample).slice(0, 4000)}
\`\`\`
${observations.map(failureOf).some(Boolean) ? `\nWhat did not produce an observation: ${observations.map((o, i) => `${[nameA, nameB][i]}: ${failureOf(o) ?? "answered"}`).join("; ")}\n` : ""}

## Replay

\`\`\`sh
npm run diff -- --adapters=${adapterArgs} --bundle=${here}    # boots this folder's wrangler.toml files on both
${group.replay}
\`\`\`
`,
  );
}

/** The runtime's own words when a scenario did not boot or the probe did not answer. */
function failureOf(o: DeepObservation): string | undefined {
  if ("bootFailed" in o) return `boot failed: ${o.message.slice(0, 1000)}`;
  if ("fetchFailed" in o) return `probe request failed: ${o.fetchFailed.slice(0, 1000)}`;
  if ("http" in o) return `HTTP ${o.http}: ${o.body}`;
  return undefined;
}

function writeReports(dir: string, result: DiffResult, options: DiffOptions): void {
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, "bundles"), { recursive: true, force: true });
  for (const group of result.groups) {
    if (group.counterexample === undefined) continue;
    const family = options.families.find((f) => f.name === group.family)!;
    const bundle = join(dir, "bundles", `${group.family}__${slug(group.group)}`);
    group.bundle = relative(dir, bundle);
    writeBundle(bundle, group, family, options.profile, options.adapterArgs, group.observations!);
  }
  const primary = result.groups.filter((g) => g.primary);
  const secondary = result.groups.filter((g) => !g.primary);
  const summary = {
    adapters: result.adapters,
    profile: result.profile,
    seed: result.seed,
    runs: options.runs,
    scenarios: result.scenarios,
    scenariosPerFamily: result.scenariosPerFamily,
    groups: result.groups.filter((g) => g.primary).map((g) => ({ family: g.family, group: g.group, path: g.path, count: g.count, shrunk: g.counterexample !== undefined, known: g.known ?? null, a: clip(g.a), b: clip(g.b), bundle: g.bundle ?? null })),
    alsoDiffering: result.groups.filter((g) => !g.primary).length,
    errors: result.errors,
  };
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary, null, 1) + "\n");
  const lines = [
    `# ${result.adapters[0]} vs ${result.adapters[1]}, profile ${result.profile}`,
    "",
    `\`npm run diff -- --adapters=${options.adapterArgs} --profile=${result.profile} --runs=${options.runs} --seed=${result.seed}${options.lens === "outcomes" ? " --lens=outcomes" : ""}\``,
    "",
    `${result.scenarios} scenarios (${Object.entries(result.scenariosPerFamily).map(([f, n]) => `${f} ${n}`).join(", ")}); ` +
      `${primary.length} divergence group${primary.length === 1 ? "" : "s"} (${primary.filter((g) => !g.known).length} not in known-divergences.json).`,
    "",
  ];
  if (result.groups.length) {
    lines.push(
      "Each group is a path where the observations differ (generated names as `*`); *shrunk* groups were the first unknown difference of some case and have a bundle.",
      "",
      "| family | differing path | cases | " + result.adapters.join(" | ") + " | shrunk | known |",
      "|---|---|---|---|---|---|---|",
    );
    const cell = (v: unknown) => `\`${short(v).slice(0, 80).replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
    for (const g of primary) {
      lines.push(`| ${g.family} | \`${g.group}\` | ${g.count} | ${cell(g.a)} | ${cell(g.b)} | ${g.bundle ? `[bundle](${g.bundle}/README.md)` : "no"} | ${g.known ? "yes" : "**new**"} |`);
    }
  }
  if (secondary.length) {
    lines.push("", `Also differing, behind a first difference (${secondary.length} paths; the ${Math.min(secondary.length, 40)} most frequent):`, "");
    for (const g of [...secondary].sort((x, y) => y.count - x.count).slice(0, 40)) lines.push(`- ${g.family} \`${g.group}\` (${g.count})`);
  }
  if (result.errors.length) lines.push("", "Errors:", "", ...result.errors.map((e) => `- ${e}`));
  writeFileSync(join(dir, "summary.md"), lines.join("\n") + "\n");
}

function clip(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text !== undefined && text.length > 400 ? `${text.slice(0, 400)}…` : value;
}

/** Boot a bundle (its wrangler.toml files) on both adapters and compare, as the README says. */
export async function replayBundle(dir: string, adapters: [Adapter, Adapter], loadWorkers: (paths: string[]) => Promise<WorkerConfig[]>): Promise<Difference[]> {
  const bundle = JSON.parse(readFileSync(join(dir, "bundle.json"), "utf8")) as { probe: string; workers: string[] };
  const workers = await loadWorkers(bundle.workers.map((w) => join(dir, w, "wrangler.toml")));
  const scenario: Scenario = { workers, probes: [bundle.probe] };
  const observe = async (adapter: Adapter) => {
    let running: RunningScenario;
    try {
      running = await adapter.start(scenario);
    } catch (error) {
      return { bootFailed: true, message: messageOf(error) } as DeepObservation;
    }
    try {
      return await probeDeep(running, bundle.probe, "/");
    } finally {
      await running.dispose().catch(() => {});
    }
  };
  const [a, b] = await Promise.all(adapters.map(observe));
  return diffObservations(a!, b!);
}
