/**
 * Small helpers shared by the chapter files: writing callee modules and asserting on what the
 * probe's `observe()` reported.
 */
import { expect } from "chai";
import { lit, probeWorker, type CaseScenario } from "../engine/scenario.ts";
import { harnessFor } from "../harness/modules.ts";
import { PLANT_SOURCE } from "../arbitraries/structured.ts";
import { encodeInput } from "../harness/harness.js";
import { checkFailure } from "../engine/checks.ts";
import type { Profile } from "../engine/profiles.ts";

export { lit };

/** An ES module that defines entrypoint classes; `harness.js` is available for `input()`. */
export function calleeModules(source: string): Record<string, string> {
  const main = `import { WorkerEntrypoint } from "cloudflare:workers";\nimport { input } from "./harness.js";\n${source}`;
  return { "index.js": main, "harness.js": harnessFor(main) };
}

/** A JS expression, for generated source, that evaluates to a copy of `value` (types preserved). */
export function valueExpr(value: unknown): string {
  return `input(${encodeInput(value)})`;
}

/** What `observe()` reports, after decoding. */
export type Observed = { ok: true; value: unknown } | { ok: false; error: unknown; sync?: boolean };

export function expectValue(observed: unknown, what: string): unknown {
  const o = observed as Observed;
  if (!o.ok) throw checkFailure("expected a value", `${what}: expected a value, but the call failed with ${describeError(o.error)}${o.sync ? " (thrown synchronously)" : ""}`);
  return o.value;
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
  const callee = `${PLANT_SOURCE}
export class ${cls} extends WorkerEntrypoint {
  take(value) { return "received"; }
  give() { return plant(${valueExpr(holder)}, ${badExpression}); }
}`;
  const call = direction === "argument" ? `env.S.take(plant(${valueExpr(holder)}, ${badExpression}))` : `env.S.give()`;
  return {
    workers: [
      { name: "callee", modules: calleeModules(callee) },
      probeWorker("probe", `${PLANT_SOURCE}\nconst result = await observe(() => ${call});\nreturn respond({ result, remote: result.ok ? undefined : result.error?.remote });`, {
        services: [{ binding: "S", service: "callee", entrypoint: cls }],
      }),
    ],
    probe: "probe",
  };
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
