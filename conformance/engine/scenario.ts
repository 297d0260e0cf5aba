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
import type { Scenario, ServiceBindingConfig, WorkerConfig } from "../contract.ts";
import type { Profile } from "./profiles.ts";

/** The probe harness, as source text, injected into every probe worker as `harness.js`. */
export const HARNESS_SOURCE = readFileSync(new URL("../harness/harness.js", import.meta.url), "utf8");

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
 * with `request`, `env`, `ctx` and the harness functions `observe`, `respond`, `input`, `observeDeep`
 * in scope)
 * and must `return respond(...)`.
 */
export function probeWorker(
  name: string,
  body: string,
  options: { services?: ServiceBindingConfig[]; vars?: Record<string, unknown>; extraModules?: Record<string, string> } = {},
): WorkerSketch {
  const main = [
    `import { observe, respond, input, observeDeep } from "./harness.js";`,
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
  /** For case i, where its probe request goes: a worker, and the URL path that selects the case. */
  probes: { worker: string; path: string }[];
}

/** Name of the worker that hosts the probes of every case that can share one. */
const SHARED_PROBE = "probes";

/**
 * Merge several cases into one scenario. Each case's workers are renamed `c<i>-<name>`, so cases
 * never see each other. Probe workers are folded into ONE shared worker whenever no binding
 * targets them (the common case): each case's probe modules live under `c<i>/`, its bindings and
 * vars are renamed `c<i>__<name>`, and a small router gives each case its own `env` with the
 * original names. Halving the worker count is what makes one boot per batch cheap on runtimes
 * where every worker costs start-up time.
 */
export function mergeCases(cases: CaseScenario[], profile: Profile): MergedScenario {
  const workers: WorkerConfig[] = [];
  const probes: MergedScenario["probes"] = [];
  const shared: { index: number; sketch: WorkerSketch }[] = [];
  cases.forEach((c, i) => {
    const rename = (name: string) => `c${i}-${name}`;
    const probe = c.workers.find((w) => w.name === c.probe);
    if (!probe) throw new Error(`case scenario has no worker named "${c.probe}" for the probe`);
    const targeted = c.workers.some((w) => (w.services ?? []).some((s) => s.service === c.probe));
    for (const w of c.workers) if (w !== probe || targeted) workers.push(completeWorker(w, profile, rename));
    if (targeted) probes.push({ worker: rename(c.probe), path: "/" });
    else {
      shared.push({ index: i, sketch: probe });
      probes.push({ worker: SHARED_PROBE, path: `/${i}` });
    }
  });
  if (shared.length) workers.push(sharedProbeWorker(shared, profile));
  return { scenario: { workers, probes: [...new Set(probes.map((p) => p.worker))] }, probes };
}

function sharedProbeWorker(cases: { index: number; sketch: WorkerSketch }[], profile: Profile): WorkerConfig {
  const modules: Record<string, string> = { "harness.js": HARNESS_SOURCE };
  const vars: Record<string, unknown> = {};
  const services: ServiceBindingConfig[] = [];
  const imports: string[] = [];
  const routes: string[] = [];
  for (const { index, sketch } of cases) {
    const dir = `c${index}`;
    for (const [path, source] of Object.entries(sketch.modules)) {
      // Every case's probe imports "./harness.js"; one shared copy serves them all.
      modules[`${dir}/${path}`] = path === "harness.js" ? `export * from "../harness.js";` : source;
    }
    const names: string[] = [];
    for (const [key, value] of Object.entries(sketch.vars ?? {})) {
      vars[`${dir}__${key}`] = value;
      names.push(key);
    }
    for (const s of sketch.services ?? []) {
      services.push({ ...s, binding: `${dir}__${s.binding}`, service: `${dir}-${s.service}` });
      names.push(s.binding);
    }
    imports.push(`import * as ${dir} from "./${dir}/${sketch.main ?? "index.js"}";`);
    const env = names.map((n) => `${JSON.stringify(n)}: env[${JSON.stringify(`${dir}__${n}`)}]`).join(", ");
    routes.push(`  ${JSON.stringify(String(index))}: [${dir}, (env) => ({ ${env} })],`);
  }
  modules["index.js"] = `${imports.join("\n")}
// Routes /<case> to that case's probe, with the env its own config describes.
const CASES = {
${routes.join("\n")}
};
export default {
  fetch(request, env, ctx) {
    const route = CASES[new URL(request.url).pathname.slice(1)];
    if (!route) return new Response("no such case", { status: 404 });
    const [module, makeEnv] = route;
    return module.default.fetch(request, makeEnv(env), ctx);
  },
};
`;
  return {
    name: SHARED_PROBE,
    main: "index.js",
    modules,
    compatibilityDate: profile.compatibilityDate,
    compatibilityFlags: [...profile.compatibilityFlags],
    vars,
    services,
  };
}

/** One case as a standalone scenario (used for repro bundles and single-case replays). */
export function singleCase(c: CaseScenario, profile: Profile): { scenario: Scenario; probe: string } {
  return { scenario: { workers: c.workers.map((w) => completeWorker(w, profile, (n) => n)), probes: [c.probe] }, probe: c.probe };
}
