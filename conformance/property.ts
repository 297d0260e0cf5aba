/**
 * The batched property runner: fast-check semantics (seed, path, shrinking, replay) with one
 * runtime boot per batch of cases instead of one per case.
 *
 * How: `fc.check` with the same seed and number of runs generates the same values in the same
 * order. So the runner first walks the property once with a body that only records the cases,
 * boots ONE merged scenario per batch of them, collects every observation, and only then lets
 * `fc.check` walk the cases for real, answering from that cache. Cases fast-check invents while
 * shrinking are not in the cache; each of those boots a scenario of its own, which only happens
 * after a failure. (`fc.sample` is not a substitute: it does not bias values by run index as
 * `fc.check` does, so only about one sampled case in ten is one `fc.check` later asks for.)
 */
import * as fc from "fast-check";
import type { Adapter } from "./contract.ts";
import type { ConformanceTest } from "./define.ts";
import type { Profile } from "./profiles.ts";
import { mergeCases, type CaseScenario } from "./scenario.ts";
import { describe, encode, readResponse } from "./harness/harness.js";

/** What one probe request produced; `rendered` is computed on demand (only failures need it). */
export interface Observation {
  kind: "value";
  value: unknown;
  readonly rendered: string;
}

function observation(value: unknown): Observation {
  return {
    kind: "value",
    value,
    get rendered() {
      return describe(encode(value));
    },
  };
}

/** A failure of the runtime or adapter itself (boot failed, fetch rejected), not of a requirement. */
export class HarnessError extends Error {
  override name = "HarnessError";
}

export interface PropertyRunOptions {
  adapter: Adapter;
  profile: Profile;
  seed: number;
  path?: string;
  numRuns: number;
  /** Most cases booted together in one scenario. */
  batchSize: number;
  /** Probe requests in flight at once within a batch. */
  concurrency: number;
  /** Shrink a counterexample (default). The project's own fault tests only need "it fails". */
  shrink?: boolean;
  /** Called with a short progress line (may be ignored). */
  onProgress?: (done: number, total: number) => void;
}

export interface PropertyOutcome {
  status: "pass" | "fail" | "error";
  numRuns: number;
  message?: string;
  seed: number;
  /** fast-check's path to the (shrunk) counterexample, for `--path`. */
  path?: string;
  counterexample?: unknown;
  /** The scenario of the counterexample, for repro bundles. */
  counterexampleScenario?: CaseScenario;
  /** What the probe reported for the counterexample, rendered. */
  observed?: string;
}

/** Boot the cases' merged scenario once and run every probe. */
export async function observeCases(
  adapter: Adapter,
  profile: Profile,
  cases: CaseScenario[],
  concurrency: number,
  timing?: { bootMs: number; probeMs: number },
): Promise<Observation[]> {
  const { scenario, probes } = mergeCases(cases, profile);
  let running;
  const t0 = performance.now();
  try {
    running = await adapter.start(scenario);
  } catch (error) {
    throw new HarnessError(`the adapter could not start the scenario: ${messageOf(error)}`);
  }
  const t1 = performance.now();
  try {
    const observations: Observation[] = new Array(cases.length);
    let next = 0;
    const lane = async () => {
      while (next < probes.length) {
        const i = next++;
        observations[i] = await probeOnce(running, probes[i]!.worker, probes[i]!.path);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, probes.length) }, lane));
    if (timing) {
      timing.bootMs += t1 - t0;
      timing.probeMs += performance.now() - t1;
    }
    return observations;
  } finally {
    await running.dispose().catch(() => {});
  }
}

async function probeOnce(running: { fetch(worker: string, request: Request): Promise<Response> }, worker: string, path: string): Promise<Observation> {
  let response: Response;
  try {
    response = await running.fetch(worker, new Request(`http://probe.invalid${path}`));
  } catch (error) {
    throw new HarnessError(`the runtime did not answer the probe request to worker "${worker}": ${messageOf(error)}`);
  }
  try {
    return observation(await readResponse(response));
  } catch (error) {
    // The probe catches everything the calls do, so an answer that is not an observation means
    // the runtime could not run the probe at all: a harness error, not a requirement failure.
    throw new HarnessError(`the probe worker "${worker}" did not report an observation: ${messageOf(error)}`);
  }
}

/**
 * The observations of a property's cases, gathered before fast-check checks them: every case of
 * the run booted in batches. `error` is set when the adapter failed (a harness error).
 */
export interface PreparedObservations {
  cache: Map<string, Observation>;
  error?: string;
}

export type PrepareOptions = Pick<PropertyRunOptions, "adapter" | "profile" | "seed" | "numRuns" | "batchSize" | "concurrency" | "onProgress">;

/** Keyed on the harness encoding, which (unlike fc.stringify) tells buffers apart by content. */
function caseKey(c: unknown): string {
  return JSON.stringify(encode(c));
}

/**
 * Walk the property once with a body that only records the cases (same seed and runs as the real
 * check, hence the same cases), then boot them in batches and observe every one. The suite runner
 * calls this ahead of time for the next tests while the current one is checked.
 */
export async function prepareObservations<Case>(test: ConformanceTest<Case>, options: PrepareOptions): Promise<PreparedObservations> {
  const { adapter, profile, seed, numRuns } = options;
  const cache = new Map<string, Observation>();
  const cases: Case[] = [];
  await fc.check(fc.asyncProperty(test.arbitrary, async (c) => void cases.push(c)), { seed, numRuns });
  const unique = new Map<string, Case>();
  for (const c of cases) unique.set(caseKey(c), c);
  const pending = [...unique.entries()];
  let done = 0;
  for (let start = 0; start < pending.length; start += options.batchSize) {
    const batch = pending.slice(start, start + options.batchSize);
    let observations: Observation[];
    try {
      observations = await observeCases(adapter, profile, batch.map(([, c]) => test.scenario(c, profile)), options.concurrency);
    } catch (error) {
      return { cache, error: messageOf(error) };
    }
    batch.forEach(([k], i) => cache.set(k, observations[i]!));
    done += batch.length;
    options.onProgress?.(done, pending.length);
  }
  return { cache };
}

export async function runProperty<Case>(
  test: ConformanceTest<Case>,
  options: PropertyRunOptions,
  prepared?: Promise<PreparedObservations>,
): Promise<PropertyOutcome> {
  const { adapter, profile, seed, path, numRuns } = options;
  // A replay (`--path`) walks one case and its shrinks: nothing to batch.
  const ready: PreparedObservations = await (prepared ?? (path === undefined ? prepareObservations(test, options) : { cache: new Map() }));
  if (ready.error !== undefined) return { status: "error", numRuns: 0, seed, message: ready.error };
  const cache = ready.cache;
  let harnessError: HarnessError | undefined;

  const property = fc.asyncProperty(test.arbitrary, async (c) => {
    if (harnessError) throw harnessError;
    let observation = cache.get(caseKey(c));
    if (!observation) {
      try {
        [observation] = await observeCases(adapter, profile, [test.scenario(c, profile)], 1);
      } catch (error) {
        if (error instanceof HarnessError) harnessError = error;
        throw error;
      }
      cache.set(caseKey(c), observation!);
    }
    await test.check(c, observation!.value, profile);
  });

  const details = await fc.check(property, { seed, path, numRuns, endOnFailure: options.shrink === false });
  if (harnessError) return { status: "error", numRuns: details.numRuns, seed, message: harnessError.message };
  if (!details.failed) return { status: "pass", numRuns: details.numRuns, seed };
  const [counterexample] = details.counterexample ?? [];
  const observation = details.counterexample ? cache.get(caseKey(counterexample as Case)) : undefined;
  return {
    observed: observation?.rendered,
    status: "fail",
    numRuns: details.numRuns,
    seed: details.seed,
    path: details.counterexamplePath ?? undefined,
    message: messageOf(details.errorInstance),
    counterexample,
    counterexampleScenario: details.counterexample ? test.scenario(counterexample as Case, profile) : undefined,
  };
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
