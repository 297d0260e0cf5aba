/**
 * The Node-side binding proxies as adapters (`miniflare-proxy`, `wrangler-proxy`): each boots a
 * tiny scenario and its probe, run in Node, answers through the proxy; and a small slice of the
 * suite run through the CLI ends as its expectations file says (exit status 0).
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Adapter, Scenario } from "../../conformance/contract.ts";
import { createMiniflareProxyAdapter } from "../../conformance/adapters/miniflare-proxy.ts";
import { createWranglerProxyAdapter } from "../../conformance/adapters/wrangler-proxy.ts";
import { readResponse } from "../../conformance/harness/harness.js";
import { probeWorker } from "../../conformance/engine/scenario.ts";

/** A callee with a named entrypoint, and a probe calling it with props and reading its own var. */
function tinyScenario(): Scenario {
  const probe = probeWorker("probe", `return respond({ mine: env.MINE, call: await observe(() => env.S.greet("node")) });`, {
    services: [{ binding: "S", service: "callee", entrypoint: "Greeter", props: { who: "props" } }],
    vars: { MINE: "probe's var" },
  });
  const callee = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Greeter extends WorkerEntrypoint { async greet(name) { return \`hello \${name} from \${this.ctx.props.who}\`; } }
export default { fetch() { return new Response("callee"); } };`;
  const complete = (w: { name: string; modules: Record<string, string>; vars?: Record<string, unknown>; services?: Scenario["workers"][0]["services"] }) => ({
    name: w.name,
    main: "index.js",
    modules: w.modules,
    compatibilityDate: "2025-06-01",
    compatibilityFlags: [],
    vars: w.vars ?? {},
    services: w.services ?? [],
  });
  return { workers: [complete({ name: "callee", modules: { "index.js": callee } }), complete(probe)], probes: ["probe"] };
}

function conformance(args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "conformance/cli/conformance.ts", ...args], { encoding: "utf8", timeout: 110_000 });
  return { status: result.status, stderr: result.stderr };
}

const PROXIES: [string, () => Adapter, string][] = [
  // one test that holds and one the proxy is expected to fail (see its expectations file)
  ["miniflare-proxy", createMiniflareProxyAdapter, "^(env/callee-own|errors/non-error-throws)$"],
  ["wrangler-proxy", createWranglerProxyAdapter, "^(env/callee-own|errors/non-error-throws)$"],
];

for (const [name, create, grep] of PROXIES) {
  describe(`${name} adapter`, function () {
    this.timeout(60_000);

    it("boots a scenario and answers a probe run in Node, through the proxy", async () => {
      const adapter = create();
      expect(adapter.name).to.equal(name);
      const info = await adapter.runtime();
      expect(info.name).to.equal(name);
      expect(info.details?.workerd, "the workerd version in the details").to.be.a("string");
      const running = await adapter.start(tinyScenario());
      try {
        const observed = (await readResponse(await running.fetch("probe", new Request("http://probe.invalid/")))) as any;
        expect(observed.mine).to.equal("probe's var");
        expect(observed.call).to.deep.equal({ ok: true, value: "hello node from props" });
        await running.fetch("callee", new Request("http://probe.invalid/")).then(
          () => expect.fail("a non-probe worker is not run in Node"),
          (error: Error) => expect(error.message).to.include("not one of the scenario's probes"),
        );
      } finally {
        await running.dispose();
        await running.dispose();
        await adapter.close?.();
      }
    });

    it("runs a slice of the suite with outcomes matching its expectations file (exit 0)", () => {
      const dir = mkdtempSync(join(tmpdir(), `wrc-${name}-`));
      const r = conformance([`--adapter=${name}`, `--grep=${grep}`, "--seed=1", "--runs=5", `--report-dir=${dir}`]);
      expect(r.status, r.stderr).to.equal(0);
      const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
      const outcomes = Object.fromEntries(results.tests.map((t: { id: string; outcome: string }) => [t.id, t.outcome]));
      expect(outcomes).to.deep.equal({ "env/callee-own": "pass", "errors/non-error-throws": "expectedFail" });
    });
  });
}
