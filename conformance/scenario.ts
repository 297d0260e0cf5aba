/**
 * Building scenarios for conformance tests.
 *
 * A test describes one generated case as a small `CaseScenario`: the workers it needs (usually a
 * probe worker that makes the calls and one or two callee workers) and which worker receives the
 * probe request. The property runner merges many cases into one `Scenario` so a runtime boots
 * once per property, not once per case: each case's workers are renamed with a case prefix, so
 * cases never see each other.
 */
import { readFileSync } from "node:fs";
import type { Scenario, ServiceBindingConfig, WorkerConfig } from "./contract.ts";
import type { Profile } from "./profiles.ts";

/** The probe harness, as source text, injected into every probe worker as `harness.js`. */
export const HARNESS_SOURCE = readFileSync(new URL("./harness/harness.js", import.meta.url), "utf8");

/** A worker as a test writes it; the profile and defaults fill in the rest. */
export interface WorkerSketch {
  name: string;
  /** Main module path; defaults to "index.js". */
  main?: string;
  modules: Record<string, string>;
  vars?: Record<string, unknown>;
  services?: ServiceBindingConfig[];
}

export interface CaseScenario {
  workers: WorkerSketch[];
  /** The worker whose default `fetch` runs the probe and answers with the harness encoding. */
  probe: string;
}

/**
 * A probe worker: its default export's `fetch` runs `body` (the statements of an async function
 * with `request`, `env`, `ctx` and the harness functions `observe`, `respond`, `input` in scope)
 * and must `return respond(...)`.
 */
export function probeWorker(
  name: string,
  body: string,
  options: { services?: ServiceBindingConfig[]; vars?: Record<string, unknown>; extraModules?: Record<string, string> } = {},
): WorkerSketch {
  const main = [
    `import { observe, respond, input } from "./harness.js";`,
    `export default {`,
    `  async fetch(request, env, ctx) {`,
    body,
    `  },`,
    `};`,
  ].join("\n");
  return {
    name,
    modules: { "index.js": main, "harness.js": HARNESS_SOURCE, ...options.extraModules },
    services: options.services ?? [],
    vars: options.vars ?? {},
  };
}

/** A callee worker whose single module is `source`. */
export function moduleWorker(
  name: string,
  source: string,
  options: { services?: ServiceBindingConfig[]; vars?: Record<string, unknown> } = {},
): WorkerSketch {
  return { name, modules: { "index.js": source }, services: options.services ?? [], vars: options.vars ?? {} };
}

/** Fill in a sketch with the profile's compatibility settings. */
function completeWorker(sketch: WorkerSketch, profile: Profile, rename: (name: string) => string): WorkerConfig {
  return {
    name: rename(sketch.name),
    main: sketch.main ?? "index.js",
    modules: sketch.modules,
    compatibilityDate: profile.compatibilityDate,
    compatibilityFlags: [...profile.compatibilityFlags],
    vars: sketch.vars ?? {},
    services: (sketch.services ?? []).map((s) => ({ ...s, service: rename(s.service) })),
  };
}

export interface MergedScenario {
  scenario: Scenario;
  /** For case i, the (renamed) worker that receives its probe request. */
  probes: string[];
}

/** Merge several cases into one scenario, prefixing each case's worker names with `c<i>-`. */
export function mergeCases(cases: CaseScenario[], profile: Profile): MergedScenario {
  const workers: WorkerConfig[] = [];
  const probes: string[] = [];
  cases.forEach((c, i) => {
    const rename = (name: string) => `c${i}-${name}`;
    const names = new Set(c.workers.map((w) => w.name));
    if (!names.has(c.probe)) throw new Error(`case scenario has no worker named "${c.probe}" for the probe`);
    for (const w of c.workers) workers.push(completeWorker(w, profile, rename));
    probes.push(rename(c.probe));
  });
  return { scenario: { workers, probes }, probes };
}

/** One case as a standalone scenario (used for repro bundles and single-case replays). */
export function singleCase(c: CaseScenario, profile: Profile): { scenario: Scenario; probe: string } {
  return { scenario: { workers: c.workers.map((w) => completeWorker(w, profile, (n) => n)), probes: [c.probe] }, probe: c.probe };
}

/** A JavaScript string literal (safe to paste into generated source) for any name. */
export function lit(text: string): string {
  return JSON.stringify(text);
}
