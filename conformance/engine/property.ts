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
import type { Adapter } from "../contract.ts";
import type { ConformanceTest } from "./define.ts";
import type { Profile } from "./profiles.ts";
import { mergeCases, type CaseScenario } from "./scenario.ts";
import { describe, encode, readResponse } from "../harness/harness.js";
import { checkLabelOf, explainFailure, type CheckLabel, type Difference } from "./checks.ts";

/** How long one probe request may take before its case counts as a timeout (ms). */
export const DEFAULT_PROBE_DEADLINE_MS = 60_000;

/**
 * What one probe request produced; `rendered` is computed on demand (only failures need it).
 * `timeout`: the probe did not answer within the probe deadline (or the adapter rejected with a
 * `TimeoutError`); such a case is reported as a timeout, never checked or shrunk.
 */
export type Observation = { kind: "value"; value: unknown; readonly rendered: string } | { kind: "timeout"; readonly rendered: string };

function timeoutObservation(detail: string): Observation {
  return { kind: "timeout", rendered: `(no answer: ${detail})` };
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
  /** Per-probe deadline (default DEFAULT_PROBE_DEADLINE_MS). */
  probeDeadlineMs?: number;
  /**
   * Is a failure of this check expected? The property reports (and shrinks) the first failing
   * case of a check that is not, if any; otherwise the first failure.
   */
  isExpectedCheck?: (check: string, message: string) => boolean;
}

/** One check that failed in a run, with the requirements it is attributed to. */
export interface FailedCheck {
  check: string;
  requirements: string[];
  /** The first failure of this check in the run, as the check reported it. */
  message: string;
}

export interface PropertyOutcome {
  status: "pass" | "fail" | "error" | "timeout";
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
  /** The check whose failure is reported (the counterexample fails it). */
  check?: FailedCheck;
  /** Every distinct check that failed among the run's cases, the reported one included. */
  failedChecks?: FailedCheck[];
  /** For a failed comparison: where the values first differ, both in full. */
  difference?: Difference;
}

/** Boot the cases' merged scenario once and run every probe. */
export async function observeCases(
  adapter: Adapter,
  profile: Profile,
  cases: CaseScenario[],
  concurrency: number,
  timing?: { bootMs: number; probeMs: number },
  probeDeadlineMs = DEFAULT_PROBE_DEADLINE_MS,
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
        observations[i] = await probeOnce(running, probes[i]!.worker, probes[i]!.path, probeDeadlineMs);
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

async function probeOnce(running: { fetch(worker: string, request: Request): Promise<Response> }, worker: string, path: string, deadlineMs: number): Promise<Observation> {
  let response: Response;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => (timer = setTimeout(() => resolve("deadline"), deadlineMs)));
  try {
    const answer = await Promise.race([running.fetch(worker, new Request(`http://probe.invalid${path}`)), deadline]);
    if (answer === "deadline") return timeoutObservation(`the probe worker "${worker}" did not answer within ${deadlineMs} ms`);
    response = answer;
  } catch (error) {
    // An adapter that gives up waiting rejects with a TimeoutError (e.g. AbortSignal.timeout()).
    if ((error as Error)?.name === "TimeoutError") return timeoutObservation(`the adapter gave up on the probe worker "${worker}": ${messageOf(error)}`);
    throw new HarnessError(`the runtime did not answer the probe request to worker "${worker}": ${messageOf(error)}`);
  } finally {
    clearTimeout(timer);
  }
  try {
    return observation(await Promise.race([readResponse(response), deadline.then(() => Promise.reject(new Error(`its body did not arrive within ${deadlineMs} ms`)))]));
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

export type PrepareOptions = Pick<PropertyRunOptions, "adapter" | "profile" | "seed" | "numRuns" | "batchSize" | "concurrency" | "onProgress" | "probeDeadlineMs">;

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
      observations = await observeCases(adapter, profile, batch.map(([, c]) => test.scenario(c, profile)), options.concurrency, undefined, options.probeDeadlineMs);
    } catch (error) {
      return { cache, error: messageOf(error) };
    }
    batch.forEach(([k], i) => cache.set(k, observations[i]!));
    done += batch.length;
    options.onProgress?.(done, pending.length);
  }
  return { cache };
}

/** A case whose probe did not answer: ends the property as a timeout, with this case. */
class ProbeTimeout extends Error {
  override name = "ProbeTimeout";
}

/**
 * Check the property the way fast-check does, with two differences that keep verdicts stable:
 *
 * - A *survey* first checks every case of the run (their observations are already gathered, so
 *   this is cheap) and records every distinct check that fails, instead of stopping at the first
 *   failing case. An unexpected failure is then found whichever case comes first.
 * - Shrinking keeps the check: a smaller case counts as failing only when it fails the *same*
 *   check, so a counterexample is never shrunk into a different, minor failure. A case whose probe
 *   does not answer is reported as a timeout with that case, never shrunk.
 */
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
  const requirementsOf = (label: CheckLabel) => label.requirements ?? test.checks?.[label.check] ?? test.requirements;

  const observe = async (c: Case): Promise<Observation> => {
    if (harnessError) throw harnessError;
    let observation = cache.get(caseKey(c));
    if (!observation) {
      try {
        [observation] = await observeCases(adapter, profile, [test.scenario(c, profile)], 1, undefined, options.probeDeadlineMs);
      } catch (error) {
        if (error instanceof HarnessError) harnessError = error;
        throw error;
      }
      cache.set(caseKey(c), observation!);
    }
    return observation!;
  };
  /** Run the check; the failure's label and error, or undefined when it passes. */
  const checkOne = async (c: Case, observation: Observation & { kind: "value" }) => {
    try {
      await test.check(c, observation.value, profile);
      return undefined;
    } catch (error) {
      return { label: checkLabelOf(error), error };
    }
  };

  // The survey: every case of the run, every failing check.
  const failed = new Map<string, FailedCheck>();
  let timedOut: { index: number; observation: Observation } | undefined;
  let target: string | undefined;
  if (path === undefined) {
    let index = -1;
    await fc.check(
      fc.asyncProperty(test.arbitrary, async (c) => {
        index++;
        const observation = await observe(c);
        if (observation.kind === "timeout") {
          timedOut ??= { index, observation };
          return true;
        }
        const failure = await checkOne(c, observation);
        if (failure && !failed.has(failure.label.check)) {
          failed.set(failure.label.check, { check: failure.label.check, requirements: requirementsOf(failure.label), message: explainFailure(failure.error).message });
        }
        return true;
      }),
      { seed, numRuns },
    );
    if (harnessError) return { status: "error", numRuns, seed, message: harnessError.message };
    if (timedOut) {
      // fast-check's path to the i-th generated case, before any shrinking, is "i".
      const replay = await fc.check(fc.asyncProperty(test.arbitrary, async () => false), { seed, numRuns, path: String(timedOut.index), endOnFailure: true });
      const [counterexample] = replay.counterexample ?? [];
      return {
        status: "timeout",
        numRuns,
        seed,
        path: String(timedOut.index),
        message: `a case did not settle: ${timedOut.observation.rendered.replace(/^\(no answer: (.*)\)$/, "$1")}`,
        observed: timedOut.observation.rendered,
        counterexample,
        counterexampleScenario: replay.counterexample ? test.scenario(counterexample as Case, profile) : undefined,
        failedChecks: [...failed.values()],
      };
    }
    if (failed.size === 0) return { status: "pass", numRuns, seed };
    const checks = [...failed.keys()];
    target = checks.find((check) => !options.isExpectedCheck?.(check, failed.get(check)!.message)) ?? checks[0];
  }

  // Find (again) the first case failing the target check, and shrink it keeping that check.
  let sawFailure = false;
  const property = fc.asyncProperty(test.arbitrary, async (c) => {
    const observation = await observe(c);
    if (observation.kind === "timeout") {
      // Only a replayed case can end here (the survey reports timeouts): report it as such.
      if (path === undefined) return true;
      throw new ProbeTimeout(`a case did not settle: ${observation.rendered}`);
    }
    const failure = await checkOne(c, observation);
    if (!failure || (target !== undefined && failure.label.check !== target)) return true;
    sawFailure = true;
    throw failure.error;
  });

  // An expected failure is not shrunk: the verdict does not need it, and on a slow runtime each
  // smaller case costs a boot. Its counterexample is the first case that failed the check.
  const shrink = options.shrink !== false && !(target !== undefined && options.isExpectedCheck?.(target, failed.get(target)!.message));
  const details = await fc.check(property, { seed, path, numRuns, endOnFailure: !shrink });
  if (harnessError) return { status: "error", numRuns: details.numRuns, seed, message: harnessError.message };
  const timedOutOnReplay = details.errorInstance instanceof ProbeTimeout;
  if (!details.failed || !(sawFailure || timedOutOnReplay)) {
    // The survey saw the failure but it did not recur: only possible for a flaky runtime.
    if (target !== undefined) return { status: "fail", numRuns, seed, message: `${failed.get(target)!.message}\n(the failing case did not fail again when re-checked: the runtime answers differently each time)`, check: failed.get(target), failedChecks: [...failed.values()] };
    return { status: "pass", numRuns: details.numRuns, seed: details.seed };
  }
  const [counterexample] = details.counterexample ?? [];
  const observation = details.counterexample ? cache.get(caseKey(counterexample as Case)) : undefined;
  const explained = explainFailure(details.errorInstance);
  const label = timedOutOnReplay ? { check: "the probe answers" } : checkLabelOf(details.errorInstance);
  const check: FailedCheck = { check: label.check, requirements: requirementsOf(label), message: explained.message };
  if (!failed.has(check.check)) failed.set(check.check, check);
  return {
    observed: observation?.rendered,
    status: timedOutOnReplay ? "timeout" : "fail",
    numRuns: path === undefined ? numRuns : details.numRuns,
    seed: details.seed,
    path: details.counterexamplePath ?? undefined,
    message: explained.message,
    counterexample,
    counterexampleScenario: details.counterexample ? test.scenario(counterexample as Case, profile) : undefined,
    check,
    failedChecks: [...failed.values()],
    ...(explained.difference && { difference: explained.difference }),
  };
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
