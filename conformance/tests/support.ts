/**
 * Small helpers shared by the chapter files: the caller + callee scenario most tests need
 * (`callerAndCallee`), and asserting on what the probe's `observe()` reported. Worker source is
 * written with the `js` template of source.ts, re-exported here.
 */
import { expect } from "chai";
import { HARNESS_SOURCE, probeWorker, type CaseScenario, type WorkerSketch } from "../engine/scenario.ts";
import type { ServiceBindingConfig } from "../contract.ts";
import { harnessFor } from "../harness/modules.ts";
import { code, ident, js, json, lines, Source, value } from "./source.ts";
import { PLANT_SOURCE } from "../arbitraries/structured.ts";
import { checkFailure } from "../engine/checks.ts";
import type { Profile } from "../engine/profiles.ts";

export { code, ident, js, json, lines, Source, value };

/** The scenario `callerAndCallee` builds: a worker "callee", a probe worker "probe" that calls it through a service binding. */
export interface CallerAndCallee {
  /**
   * The callee module's code after its imports: the entrypoint classes (and whatever they use).
   * `WorkerEntrypoint` and the harness's `input` (for `value(…)`) are in scope.
   */
  callee: Source;
  /** The callee's module also imports `RpcTarget`, and the probe is the guarded kind (see `prelude`). */
  targets?: boolean;
  /** `callee` is the whole module, written with its own imports (a handler object, a default class…): nothing is added. */
  bare?: boolean;
  /** The exported class the binding names; omitted, the binding is to the default export. */
  entrypoint?: string;
  /** The probe's binding to the callee ("S" unless told); `null` for none but `probeServices`. */
  binding?: string | null;
  /** `props` of the binding (ctx.props in the callee). */
  props?: Record<string, unknown>;
  /**
   * The probe's `fetch` body: statements of an async function with `request`, `env`, `ctx` and
   * the harness's `observe`, `respond`, `input` in scope, ending in `return respond(...)`.
   */
  probe: Source;
  /**
   * Module-level code of the probe (RpcTarget classes, state its body uses). With a prelude, or
   * with `targets`, the probe is guarded: `RpcTarget` is imported, and an exception escaping its
   * body is answered as `{ probeThrew: error }` — read the observation through `probeResult`.
   */
  prelude?: Source;
  calleeVars?: Record<string, unknown>;
  probeVars?: Record<string, unknown>;
  /** The callee's own service bindings. */
  calleeServices?: ServiceBindingConfig[];
  /** The probe's service bindings after its binding to the callee. */
  probeServices?: ServiceBindingConfig[];
  /** More workers (between the callee and the probe), for the bindings above to name. */
  workers?: WorkerSketch[];
}

/** One case of the common shape: a callee worker exporting entrypoint classes, a probe calling it through a binding. */
export function callerAndCallee(s: CallerAndCallee): CaseScenario {
  const callee = s.bare
    ? { name: "callee", modules: { "index.js": s.callee.text }, vars: s.calleeVars ?? {}, services: s.calleeServices ?? [] }
    : calleeWorker("callee", s.callee, { targets: s.targets, vars: s.calleeVars, services: s.calleeServices });
  const binding: ServiceBindingConfig[] =
    s.binding === null
      ? []
      : [
          {
            binding: s.binding ?? "S",
            service: "callee",
            ...(s.entrypoint === undefined ? {} : { entrypoint: s.entrypoint }),
            ...(s.props === undefined ? {} : { props: s.props }),
          },
        ];
  const services = [...binding, ...(s.probeServices ?? [])];
  const probe = callerWorker("probe", s.probe, { services, vars: s.probeVars, guarded: s.targets || s.prelude !== undefined, prelude: s.prelude });
  return { workers: [callee, ...(s.workers ?? []), probe], probe: "probe" };
}

/**
 * A worker exporting entrypoint classes, as `callerAndCallee` writes its callee: `source` follows
 * imports of `WorkerEntrypoint` (and `RpcTarget` with `targets`) and of the harness's `input`.
 * For scenarios with more than one such worker (a chain of bindings, say).
 */
export function calleeWorker(name: string, source: Source, options: { targets?: boolean; vars?: Record<string, unknown>; services?: ServiceBindingConfig[] } = {}): WorkerSketch {
  const imports = options.targets ? "WorkerEntrypoint, RpcTarget" : "WorkerEntrypoint";
  const main = `import { ${imports} } from "cloudflare:workers";\nimport { input } from "./harness.js";\n${source.text}`;
  return { name, modules: { "index.js": main, "harness.js": harnessFor(main) }, vars: options.vars ?? {}, services: options.services ?? [] };
}

/**
 * A probe worker running `body` (see `CallerAndCallee.probe`), as `callerAndCallee` writes it; for
 * scenarios it does not fit. `guarded` (implied by a `prelude`): see `CallerAndCallee.prelude`.
 */
export function callerWorker(
  name: string,
  body: Source,
  options: { services?: ServiceBindingConfig[]; vars?: Record<string, unknown>; guarded?: boolean; prelude?: Source } = {},
): WorkerSketch {
  const { services = [], vars = {} } = options;
  if (!options.guarded && options.prelude === undefined) return probeWorker(name, body.text, { services, vars });
  const main = [
    `import { RpcTarget } from "cloudflare:workers";`,
    `import { observe, respond, input, observeDeep } from "./harness.js";`,
    options.prelude?.text ?? "",
    `export default {`,
    `  async fetch(request, env, ctx) {`,
    `    try {`,
    body.text,
    `    } catch (error) {`,
    `      return respond({ probeThrew: error });`,
    `    }`,
    `  },`,
    `};`,
  ].join("\n");
  return { name, modules: { "index.js": main, "harness.js": HARNESS_SOURCE }, services, vars };
}

/** A guarded probe's observation (see `CallerAndCallee.prelude`), or a failure saying what escaped the probe's body. */
export function probeResult<T>(observed: T): T {
  const o = observed as { probeThrew?: unknown } | null;
  if (o !== null && typeof o === "object" && "probeThrew" in o) {
    const e = o.probeThrew as Error;
    throw new Error(`the probe's own steps failed: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : JSON.stringify(e)}`);
  }
  return observed;
}

/**
 * What `observe()` reports, after decoding; `T` is the value a call that succeeds resolves to, `E`
 * what a failed one threw (an `Error` where the test expects one; a check still asserts it is one).
 */
export type Observed<T = unknown, E = unknown> = { ok: true; value: T } | { ok: false; error: E; sync?: boolean };

/** The value an observed call resolved to, or a failure saying how it failed. */
export function expectValue<T>(observed: Observed<T>, what: string): T;
export function expectValue(observed: unknown, what: string): unknown;
export function expectValue(observed: unknown, what: string): unknown {
  const o = observed as Observed;
  if (!o.ok) throw checkFailure("expected a value", `${what}: expected a value, but the call failed with ${describeError(o.error)}${o.sync ? " (thrown synchronously)" : ""}`);
  return o.value;
}

/** The `remote` flag of the error a failed call observed (undefined for a call that succeeded). */
export function remoteOf(observed: Observed): unknown {
  return observed.ok ? undefined : (observed.error as { remote?: unknown } | null)?.remote;
}

/** The call must reject (not throw synchronously) with an error of `className` and exactly `message`. */
export function expectRpcError(observed: unknown, what: string, className: string, message: string): void {
  const o = observed as Observed;
  if (o.ok) throw checkFailure("expected a rejection", `${what}: expected a rejection with ${className}: ${message}, but it resolved to ${JSON.stringify(o.value)}`);
  expect(o.sync, `${what}: the error was thrown synchronously; RPC calls must reject instead`).to.not.equal(true);
  const error = o.error as Error & { remote?: unknown };
  expect(error, `${what}: rejection value`).to.be.an("error");
  expect(error.constructor.name, `${what}: error class`).to.equal(className);
  expect(error.name, `${what}: error name`).to.equal(className);
  expect(error.message, `${what}: error message`).to.equal(message);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return JSON.stringify(error) ?? String(error);
}

export const notImplemented = (name: string) => `The RPC receiver does not implement the method "${name}".`;

/**
 * A value refused by the serializer, planted at a generated place in `holder` and sent as an
 * argument (to `take`) or as a result (from `give`). The probe reports the call's outcome and the
 * error's `remote` flag.
 */
export function plantedRefusalScenario(cls: string, holder: unknown, badExpression: string, direction: "argument" | "result"): CaseScenario {
  const [plantSource, bad] = [code(PLANT_SOURCE), code(badExpression)];
  const call = direction === "argument" ? js`env.S.take(plant(${value(holder)}, ${bad}))` : js`env.S.give()`;
  return callerAndCallee({
    callee: js`${plantSource}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(value) { return "received"; }
  give() { return plant(${value(holder)}, ${bad}); }
}`,
    entrypoint: cls,
    probe: js`${plantSource}\nconst result = await observe(() => ${call});\nreturn respond({ result, remote: result.ok ? undefined : result.error?.remote });`,
  });
}

/** The planted value's call must reject (never throw) with a DataCloneError carrying exactly `message`. */
export function expectPlantedRefusal(observed: unknown, what: string, message: string, direction: "argument" | "result"): void {
  const o = observed as { result: Observed; remote: unknown };
  if (o.result.ok) throw checkFailure("expected a rejection with DataCloneError", `${what}: expected a rejection with DataCloneError: ${message}, but the call resolved`);
  expect(o.result.sync, `${what}: the error was thrown synchronously; it must reject the call's promise`).to.not.equal(true);
  const error = o.result.error as DOMException;
  expect(error, `${what}: rejection value`).to.be.instanceOf(DOMException);
  expect(error.name, `${what}: error name`).to.equal("DataCloneError");
  expect(error.message, `${what}: error message`).to.equal(message);
  // Only a result's failure happened on the callee's side.
  expect(o.remote, `${what}: error.remote`).to.equal(direction === "result" ? true : undefined);
}

/** SER-HOST-TAG, ENTRY-STRING-TAG: whether Workers API classes carry Symbol.toStringTag under the profile (workerd's set_tostring_tag). */
export function apiTags(profile: Profile): boolean {
  if (profile.compatibilityFlags.includes("do_not_set_tostring_tag")) return false;
  return profile.compatibilityFlags.includes("set_tostring_tag") || profile.compatibilityDate >= "2024-09-26";
}
