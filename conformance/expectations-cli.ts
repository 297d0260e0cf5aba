/**
 * `npm run expectations -- <results.json>`: print a skeleton expectations file for the failing
 * tests of a run, to be completed with a reason per entry and saved as
 * conformance/expectations/<adapter>.json.
 */
import { readFileSync } from "node:fs";
import { expectationsFile, expectationsSkeleton } from "./expectations.ts";
import type { ResultsFile } from "./report.ts";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: npm run expectations -- reports/<adapter>/results.json\n");
  process.exit(2);
}
try {
  const results = JSON.parse(readFileSync(file, "utf8")) as ResultsFile;
  process.stdout.write(expectationsSkeleton(results.tests, results.adapter.version));
  process.stderr.write(`save it as ${expectationsFile(results.adapter.name)} and replace every TODO with a reason\n`);
} catch (error) {
  process.stderr.write(`expectations: ${file}: ${(error as Error).message}\n`);
  process.exit(1);
}
