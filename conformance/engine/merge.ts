/**
 * `npm run conformance -- merge [--report-dir=<dir>] <shard dir>…`: the results of shard runs
 * (`--shard=i/n`) as one run's results.json, summary.md, junit.xml and matrix page.
 *
 * Exit status as for a run: 0 when every outcome matches expectations, 1 when any does not, 2 on
 * bad usage or shards that do not add up to one run.
 */
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { loadSpec } from "../../spec/index.ts";
import { registeredTests } from "./define.ts";
import { BAD_OUTCOMES } from "./outcomes.ts";
import { DEFAULT_PROFILE } from "./profiles.ts";
import { writeReports } from "../report/files.ts";
import { junitXml } from "../report/junit.ts";
import { writeMatrix } from "../report/html.ts";
import { gatherReproBundles, mergeShardResults, readShardResults, ShardError } from "./shard.ts";
import "../tests/index.ts";

export const MERGE_USAGE = `usage: npm run conformance -- merge [--report-dir=<dir>] [--quiet] <shard report dir>…

  Merges the results.json of shard runs (--shard=i/n, same --seed, --runs, --grep and profile)
  into one results.json, summary.md and junit.xml (default folder: reports/<adapter>, or
  reports/<adapter>/profiles/<profile>), with the totals one unsharded run would have, and
  rewrites the matrix page reports/index.html.
`;

export async function mergeCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { "report-dir": { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ShardError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(MERGE_USAGE);
    return 0;
  }
  const log = (line: string) => {
    if (!parsed.values.quiet) process.stderr.write(line + "\n");
  };
  const shards = parsed.positionals.map((dir) => ({ dir: resolve(dir), results: readShardResults(resolve(dir)) }));
  const results = mergeShardResults(shards, registeredTests(), loadSpec());
  const profile = results.profile.name;
  const reportDir = resolve(
    parsed.values["report-dir"] ?? join("reports", results.adapter.name, ...(profile === DEFAULT_PROFILE ? [] : ["profiles", profile])),
  );
  gatherReproBundles(shards, results, reportDir);
  const written = writeReports(reportDir, results);
  writeFileSync(join(reportDir, "junit.xml"), junitXml(results));
  const t = results.totals;
  log(
    `merged ${shards.length} shard(s) of ${results.adapter.runtime} ${results.adapter.version}: ${results.tests.length} tests, ${t.pass} passed, ${t.fail} failed, ` +
      `${t.expectedFail} expected failures, ${t.unexpectedPass} unexpected passes, ${t.skip} skipped, ${t.error} errors, ${t.timeout} timeouts`,
  );
  log(`results: ${written.json}\nsummary: ${written.markdown}\njunit: ${join(reportDir, "junit.xml")}`);
  const reportsRoot = dirname(reportDir.replace(/\/profiles\/[^/]+$/, ""));
  if (basename(reportsRoot) === "reports") log(`matrix: ${writeMatrix(reportsRoot)}`);
  return results.tests.some((r) => BAD_OUTCOMES.has(r.outcome)) ? 1 : 0;
}
