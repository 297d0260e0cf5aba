/**
 * Small helpers shared by the chapter files: writing callee modules and asserting on what the
 * probe's `observe()` reported.
 */
import { expect } from "chai";
import { HARNESS_SOURCE, lit } from "../scenario.ts";
import { encodeInput } from "../harness/harness.js";

export { lit };

/** An ES module that defines entrypoint classes; `harness.js` is available for `input()`. */
export function calleeModules(source: string): Record<string, string> {
  return {
    "index.js": `import { WorkerEntrypoint } from "cloudflare:workers";\nimport { input } from "./harness.js";\n${source}`,
    "harness.js": HARNESS_SOURCE,
  };
}

/** A JS expression, for generated source, that evaluates to a copy of `value` (types preserved). */
export function valueExpr(value: unknown): string {
  return `input(${encodeInput(value)})`;
}

/** What `observe()` reports, after decoding. */
export type Observed = { ok: true; value: unknown } | { ok: false; error: unknown; sync?: boolean };

export function expectValue(observed: unknown, what: string): unknown {
  const o = observed as Observed;
  if (!o.ok) throw new Error(`${what}: expected a value, but the call failed with ${describeError(o.error)}${o.sync ? " (thrown synchronously)" : ""}`);
  return o.value;
}

/** The call must reject (not throw synchronously) with an error of `className` and exactly `message`. */
export function expectRpcError(observed: unknown, what: string, className: string, message: string): void {
  const o = observed as Observed;
  if (o.ok) throw new Error(`${what}: expected a rejection with ${className}: ${message}, but it resolved to ${JSON.stringify(o.value)}`);
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
