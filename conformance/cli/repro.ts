/**
 * `npm run repro -- <bundle-dir> [--adapter=<name|path>]`: boot a repro bundle written by a failing
 * test (see repro.ts) on a runtime, send the probe its request, and print the observation. The
 * bundle is read through its wrangler.toml files, exactly as a user would run it.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadWranglerConfigs } from "../../reference/index.ts";
import { resolveAdapter } from "../adapters/index.ts";
import { describe as describeEncoded } from "../harness/harness.js";
import { materializeBundle } from "../report/repro.ts";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { adapter: { type: "string", default: "reference" } }, allowPositionals: true });
  const dir = positionals[0];
  if (!dir) throw new Error("usage: npm run repro -- <bundle-dir> [--adapter=<name|path>]");
  // The bundle holds no copy of the harness; a temporary copy of it gets one.
  const runnable = materializeBundle(dir);
  const bundle = runnable.manifest;
  let workers;
  try {
    workers = await loadWranglerConfigs(bundle.workers.map((w) => join(runnable.dir, w, "wrangler.toml")), { onWarning: () => {} });
  } finally {
    runnable.dispose();
  }
  const adapter = await resolveAdapter(values.adapter!);
  const running = await adapter.start({ workers, probes: [bundle.probe] });
  try {
    const response = await running.fetch(bundle.probe, new Request("http://probe.invalid/"));
    const text = await response.text();
    let body: { harness?: number; result?: unknown } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      // reported below
    }
    if (response.status !== 200 || body?.harness !== 1) {
      process.stdout.write(`the probe did not answer with an observation (HTTP ${response.status}):\n${text.slice(0, 2000)}\n`);
      return 1;
    }
    process.stdout.write(describeEncoded(body.result as any) + "\n");
    return 0;
  } finally {
    await running.dispose();
    await adapter.close?.();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`repro: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
