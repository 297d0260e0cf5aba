/**
 * Which check of a test failed. Every failure gets a stable *check label* — the same label for the
 * same broken check, whatever the seed and whatever generated values the failing case holds — so an
 * expectations file can name the checks it expects to fail (the wrong values seen are evidence, not
 * the match key), and a failure can be attributed to the requirements that check is about.
 *
 * Where a label comes from, first match wins:
 * 1. `labelled(label, fn)` (or `labelled(label, requirements, fn)`) around the assertions;
 * 2. a chai assertion's own message, `expect(x, "the thenable's value")`: its last segment
 *    (after the last ": ") that still holds words once generated parts are masked, so
 *    `${what}: the call must return a thenable` is labelled "the call must return a thenable";
 * 3. a thrown error in the suite's idiom `…: expected X, but Y`: "expected X" (up to a ": ");
 * 4. otherwise the message's first segment, masked.
 * Masking replaces quoted text with `…` and digit runs with `#`.
 */
import * as chai from "chai";
import { inspect } from "node:util";

/** The label, and the requirements a test says the check is about (absent: all the test's). */
export interface CheckLabel {
  check: string;
  requirements?: string[];
}

const LABEL = Symbol.for("workers-rpc-conformance.check");
const CHAI_MESSAGE = Symbol.for("workers-rpc-conformance.chai-message");

// chai folds `expect(x, message)` into the error text; keep the message apart as well, so the
// label does not depend on how chai words its half.
chai.use((lib) => {
  const assert = lib.Assertion.prototype.assert;
  if ((assert as any)[CHAI_MESSAGE]) return;
  const wrapped = function (this: Chai.AssertionStatic, ...args: unknown[]) {
    try {
      return (assert as any).apply(this, args);
    } catch (error) {
      const message = lib.util.flag(this, "message");
      if (error && typeof error === "object" && typeof message === "string" && !(CHAI_MESSAGE in error)) (error as any)[CHAI_MESSAGE] = message;
      throw error;
    }
  };
  (wrapped as any)[CHAI_MESSAGE] = true;
  lib.Assertion.prototype.assert = wrapped as typeof assert;
});

/**
 * Run `fn` (sync or async); a failure inside it carries `label` (and the requirements the check is
 * about) unless an inner `labelled` already named it.
 */
export function labelled<T>(label: string, fn: () => T): T;
export function labelled<T>(label: string, requirements: string[], fn: () => T): T;
export function labelled<T>(label: string, a: string[] | (() => T), b?: () => T): T {
  const requirements = Array.isArray(a) ? a : undefined;
  const fn = (Array.isArray(a) ? b : a)!;
  const tag = (error: unknown) => {
    if (error && typeof error === "object" && !(LABEL in error)) (error as any)[LABEL] = { check: label, ...(requirements && { requirements }) } satisfies CheckLabel;
    return error;
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    throw tag(error);
  }
  if (result && typeof (result as any).then === "function") {
    return (result as any).then(undefined, (error: unknown) => {
      throw tag(error);
    });
  }
  return result;
}

/** An error whose check label is set explicitly (for helpers that throw instead of asserting). */
export function checkFailure(check: string, message: string, requirements?: string[]): Error {
  const error = new Error(message);
  (error as any)[LABEL] = { check, ...(requirements && { requirements }) } satisfies CheckLabel;
  return error;
}

/** Quoted text → `…`, digit runs → `#`, whitespace collapsed, at most 160 characters. */
export function maskGenerated(text: string): string {
  const masked = text
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "…")
    .replace(/\d+/g, "#")
    .replace(/\s+/g, " ")
    .trim();
  return masked.length > 160 ? masked.slice(0, 160) : masked;
}

const hasWords = (s: string) => /[A-Za-z]{3}/.test(s);

/** The label of a chai message: its last segment with words in it. */
export function labelFromAssertionMessage(message: string): string {
  const segments = message.split("\n")[0]!.split(": ").map(maskGenerated);
  for (let i = segments.length - 1; i >= 0; i--) if (hasWords(segments[i]!)) return segments[i]!;
  return segments.join(": ") || "(an assertion without a message)";
}

/** The label of a thrown error's message (not a chai assertion). */
export function labelFromErrorMessage(message: string): string {
  const line = message.split("\n")[0]!;
  const segments = line.split(": ");
  const at = segments.findIndex((s) => /^expected\b/.test(s));
  if (at >= 0) return maskGenerated(segments[at]!.split(", but ")[0]!);
  return maskGenerated(segments[0]!) || "(an error without a message)";
}

/** The label of a failure thrown by a test's `check`. */
export function checkLabelOf(error: unknown): CheckLabel {
  if (error && typeof error === "object") {
    const explicit = (error as any)[LABEL] as CheckLabel | undefined;
    if (explicit) return explicit;
    const chaiMessage = (error as any)[CHAI_MESSAGE] as string | undefined;
    if (chaiMessage !== undefined) return { check: labelFromAssertionMessage(chaiMessage) };
    if (isAssertionError(error)) return { check: `(an unlabelled assertion: ${(error as any).operator ?? "assert"})` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { check: labelFromErrorMessage(message) };
}

function isAssertionError(error: object): boolean {
  return (error as Error).name === "AssertionError";
}

/** Where two values first differ, both values rendered in full (for a failure message). */
export interface Difference {
  /** A JavaScript-like path from the compared value, e.g. `[2].cause.message`; "" is the value itself. */
  path: string;
  actual: string;
  expected: string;
}

const RENDER: Parameters<typeof inspect>[1] = { depth: Infinity, breakLength: Infinity, maxArrayLength: 200, maxStringLength: 2000, showHidden: false, sorted: false };

/** Full rendering, bytes of buffers and views included (chai shows a DataView as `DataView(0) []`). */
export function render(value: unknown): string {
  const text = inspect(value, RENDER);
  return text.length > 8000 ? `${text.slice(0, 8000)}… (${text.length - 8000} more characters)` : text;
}

/** The first place where `actual` and `expected` differ, in a depth-first walk; undefined when equal. */
export function firstDifference(actual: unknown, expected: unknown, path = ""): Difference | undefined {
  const here = () => ({ path, actual: render(actual), expected: render(expected) });
  if (Object.is(actual, expected)) return undefined;
  if (typeof actual !== "object" || typeof expected !== "object" || actual === null || expected === null) return here();
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return here();
  if (actual instanceof Date) return Object.is(actual.getTime(), (expected as Date).getTime()) ? undefined : here();
  if (ArrayBuffer.isView(actual) || actual instanceof ArrayBuffer) {
    const bytes = (v: any) => (v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    const a = bytes(actual);
    const e = bytes(expected);
    return a.length === e.length && a.every((x, i) => x === e[i]) ? undefined : here();
  }
  if (actual instanceof Map && expected instanceof Map) {
    if (actual.size !== expected.size) return here();
    const a = [...actual.entries()];
    const e = [...expected.entries()];
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i]![0], e[i]![0], `${path}.keys()[${i}]`) ?? firstDifference(a[i]![1], e[i]![1], `${path}.get(${render(e[i]![0])})`);
      if (d) return d;
    }
    return undefined;
  }
  if (actual instanceof Set && expected instanceof Set) {
    const a = [...actual];
    const e = [...expected];
    if (a.length !== e.length) return here();
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], e[i], `${path}.values()[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const keys = (v: object) => (v instanceof Error ? [...new Set(["name", "message", ...Reflect.ownKeys(v).filter((k) => k !== "stack")])] : Reflect.ownKeys(v));
  const aKeys = keys(actual);
  const eKeys = keys(expected);
  for (const k of eKeys) {
    const step = typeof k === "symbol" ? `[${String(k)}]` : Array.isArray(expected) && /^\d+$/.test(k) ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
    if (!aKeys.includes(k)) return { path: path + step, actual: "(missing)", expected: render((expected as any)[k]) };
    const d = firstDifference((actual as any)[k], (expected as any)[k], path + step);
    if (d) return d;
  }
  for (const k of aKeys) {
    if (!eKeys.includes(k)) {
      const step = typeof k === "symbol" ? `[${String(k)}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
      return { path: path + step, actual: render((actual as any)[k]), expected: "(missing)" };
    }
  }
  return undefined;
}

/**
 * The failure message with the whole picture: for a chai comparison, where the values first
 * differ and both values in full (chai abbreviates them as `{ …(4) }`).
 */
export function explainFailure(error: unknown): { message: string; difference?: Difference } {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error && typeof error === "object" && isAssertionError(error) && "expected" in error && "actual" in error)) return { message };
  const { actual, expected } = error as { actual: unknown; expected: unknown };
  if (actual === undefined && expected === undefined) return { message };
  const difference = firstDifference(actual, expected);
  const lines = [message];
  if (difference && difference.path !== "") lines.push(`first difference at ${difference.path}: expected ${difference.expected}, got ${difference.actual}`);
  lines.push(`actual:   ${render(actual)}`, `expected: ${render(expected)}`);
  return { message: lines.join("\n"), ...(difference && { difference }) };
}
