/**
 * Expected failures per adapter, kept outside the tests (like wpt metadata): a test that is known
 * to fail on a runtime is listed in `conformance/expectations/<adapter>.json` with the reason and
 * the runtime version it was seen on. Every entry needs a reason.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface ExpectedFailure {
  reason: string;
  seenOn: string;
}

export interface Expectations {
  file?: string;
  expectedFailures: Record<string, ExpectedFailure>;
}

export const EXPECTATIONS_DIR = new URL("./expectations/", import.meta.url).pathname;

export function loadExpectations(adapterName: string, dir = EXPECTATIONS_DIR): Expectations {
  const file = join(dir, `${adapterName.replace(/[^A-Za-z0-9._+-]/g, "_")}.json`);
  if (!existsSync(file)) return { expectedFailures: {} };
  let parsed: any;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const entries = parsed?.expectedFailures;
  if (typeof entries !== "object" || entries === null) throw new Error(`${file}: expectedFailures: expected an object`);
  for (const [id, entry] of Object.entries<any>(entries)) {
    if (typeof entry?.reason !== "string" || !entry.reason.trim()) throw new Error(`${file}: expectedFailures["${id}"].reason: every expected failure needs a reason`);
    if (typeof entry?.seenOn !== "string") throw new Error(`${file}: expectedFailures["${id}"].seenOn: expected the runtime version string`);
  }
  return { file, expectedFailures: entries };
}
