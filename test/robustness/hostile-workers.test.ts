/**
 * Issue #7, hostile worker code, on the reference runtime: a constructor that throws, a method
 * that never settles, unbounded recursion, a message over 32 MiB and 10,000 concurrent calls,
 * in generated sequences. After each, a healthy call on the same binding must still work, the
 * scenario must still dispose, and nothing may surface as an unhandled rejection.
 *
 * Expectations are what workerd was seen to do (Miniflare, both profiles, 2026-11-27):
 * - a throwing constructor: the caller's call rejects with the thrown error's class and message,
 *   `remote: true`;
 * - unbounded recursion: `RangeError: Maximum call stack size exceeded`, `remote: true`;
 * - over 32 MiB: LIMIT-MESSAGE-SIZE (spec/limits.md);
 * - 10,000 concurrent calls on one binding: all of them resolve, correctly;
 * - values that fight being read (revoked or trapping Proxies, throwing getters, a thrown
 *   symbol, nesting 100,000 deep), thrown or returned: a rejection marked `remote: true`;
 * - a never-settling method: workerd cancels the request ("The Workers runtime canceled this
 *   request because it detected that your Worker's code had hung and would never generate a
 *   response."); the reference does not detect hangs, so there the call stays pending: what is
 *   checked is that it blocks nothing else and does not stop the scenario from disposing.
 * - a synchronous endless loop: workerd run locally hung (on a top-level loop, and on a loop in a
 *   method), so "a clear error" is the reference's own: a module's top-level code gets a budget
 *   (MODULE_EVALUATION_BUDGET_MS) and the scenario fails to start, naming the worker; the CLI
 *   gives each method call a budget too (`--call-budget`), so a loop in a method fails that call
 *   with an error naming worker, entrypoint and method. In-process (the suite's adapter) calls
 *   have no budget: see reference/README.md, "Guarantees and limits".
 * No duration is asserted; the only clock is a far bound that only a hang would reach.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect } from "chai";
import fc from "fast-check";
import { withinHangBound } from "./bounds.ts";
import { ScenarioError, startScenario } from "../../reference/index.ts";
import { MODULE_EVALUATION_BUDGET_MS } from "../../reference/loading/realm.ts";
import type { ReferenceScenario, WorkerDefinition } from "../../reference/index.ts";

const CALLEE = readFileSync(new URL("../fixtures/robustness/hostile-callee.js", import.meta.url), "utf8");
const PROBE = readFileSync(new URL("../fixtures/robustness/hostile-probe.js", import.meta.url), "utf8");
const PROFILES = ["2024-04-03", "2026-11-17"];
const LIMIT = 32 * 2 ** 20;
const HANG_BOUND_MS = 60_000;
const LIMIT_MESSAGE = /^Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: \d+ bytes\.$/;

/**
 * Thrown or returned values that fight being read. On workerd each of these made the call reject
 * with `remote: true` (the thrown Proxies and the error whose `message` getter throws as
 * "Promise will never complete.", the rest with the error their reading raised).
 */
const HOSTILE_VALUES = [
  "return-revoked-proxy",
  "throw-revoked-proxy",
  "return-trapping-proxy",
  "throw-trapping-error",
  "return-throwing-getter",
  "return-throwing-then",
  "throw-symbol",
  "throw-error-with-throwing-message",
  "return-deep-object",
  "return-deep-array",
] as const;

const operand = fc.integer({ min: -1e6, max: 1e6 });
const light = fc.oneof(
  fc.record({
    kind: fc.constant("constructor-throws" as const),
    errorKind: fc.constantFrom("Error", "TypeError", "RangeError", "SyntaxError"),
    message: fc.string({ unit: "grapheme-ascii", maxLength: 30 }),
  }),
  fc.record({ kind: fc.constant("never" as const) }),
  fc.record({ kind: fc.constant("recurse" as const), from: fc.nat() }),
  fc.record({ kind: fc.constant("hostile-value" as const), value: fc.constantFrom(...HOSTILE_VALUES), depth: fc.integer({ min: 100_000, max: 200_000 }) }),
);
const heavy = fc.oneof(
  fc.record({ kind: fc.constantFrom("oversized-result" as const, "oversized-argument" as const), bytes: fc.integer({ min: LIMIT + 1, max: LIMIT + 2 ** 20 }) }),
  fc.record({ kind: fc.constant("concurrent" as const), count: fc.integer({ min: 1_000, max: 10_000 }), offset: operand }),
);
type Step = (typeof light extends fc.Arbitrary<infer T> ? T : never) | (typeof heavy extends fc.Arbitrary<infer T> ? T : never);
const withOperands = <T,>(step: fc.Arbitrary<T>) => fc.tuple(step, operand, operand).map(([s, a, b]) => ({ ...s, a, b }));

function definitions(date: string): WorkerDefinition[] {
  const base = { compatibilityDate: date, compatibilityFlags: [], main: "index.js", vars: {} };
  return [
    {
      ...base,
      name: "probe",
      modules: { "index.js": PROBE },
      services: [
        { binding: "H", service: "hostile", entrypoint: "Hostile" },
        { binding: "T", service: "hostile", entrypoint: "ThrowsInConstructor" },
      ],
    },
    { ...base, name: "hostile", modules: { "index.js": CALLEE }, services: [] },
  ];
}

const bounded = <T,>(promise: Promise<T>, what: string) => withinHangBound(promise, what, HANG_BOUND_MS);

function checkStep(date: string, step: Step & { a: number; b: number }, seen: { outcome: any; healthy: any }): void {
  const { outcome } = seen;
  switch (step.kind) {
    case "constructor-throws":
      // ERR-MESSAGE: under 2024-04-03 the message loses its leading spaces (spec/errors.md).
      expect(outcome).to.deep.include({ kind: "rejected", ctor: step.errorKind, name: step.errorKind, message: date === "2024-04-03" ? step.message.replace(/^ +/, "") : step.message, remote: true });
      break;
    case "never":
      expect(outcome.kind).to.equal("started");
      break;
    case "hostile-value":
      // Which error each one gives is the errors chapter's business; here: a rejection, marked remote.
      expect(outcome, step.value).to.include({ kind: "rejected", remote: true });
      break;
    case "recurse":
      expect(outcome).to.deep.include({ kind: "rejected", ctor: "RangeError", message: "Maximum call stack size exceeded", remote: true });
      break;
    case "oversized-result":
    case "oversized-argument":
      expect(outcome).to.include({ kind: "rejected", ctor: "Error" });
      expect(outcome.message).to.match(LIMIT_MESSAGE);
      // LIMIT-MESSAGE-SIZE: a result's refusal is remote, an argument's is not.
      expect(outcome.remote).to.equal(step.kind === "oversized-result" ? true : undefined);
      break;
    case "concurrent":
      expect(outcome).to.deep.equal({ kind: "value", value: step.count });
      break;
  }
  expect(seen.healthy, `the healthy call after ${step.kind}`).to.deep.equal({ kind: "value", value: step.a + step.b });
}

for (const date of PROFILES) {
  describe(`robustness: hostile worker code (compatibility date ${date})`, function () {
    this.timeout(300_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    before(() => process.on("unhandledRejection", onUnhandled));
    after(() => {
      process.off("unhandledRejection", onUnhandled);
    });

    const run = async (steps: (Step & { a: number; b: number })[], tally: Record<string, number>) => {
      const scenario: ReferenceScenario = await startScenario(definitions(date), { onLog: () => {} });
      try {
        const response = await bounded(scenario.fetch("probe", new Request("http://probe/", { method: "POST", body: JSON.stringify({ steps }) })), "the probe");
        const { seen, stillPending } = await response.json();
        steps.forEach((step, i) => {
          tally[step.kind] = (tally[step.kind] ?? 0) + 1;
          checkStep(date, step, seen[i]);
        });
        // The reference does not cancel a hung call (workerd does): it stays pending, harmlessly.
        expect(stillPending).to.deep.equal(steps.filter((s) => s.kind === "never").map(() => true));
      } finally {
        await bounded(scenario.dispose(), "dispose");
      }
    };
    const report = (what: string, tally: Record<string, number>) =>
      console.log(`hostile workers (${date}): ${what}: ${Object.entries(tally).map(([k, n]) => `${n} ${k}`).join(", ")}; the process survived, later calls worked`);

    it("a throwing constructor, a call that never settles, unbounded recursion, hostile values: reported, and the next call works", async () => {
      const tally: Record<string, number> = {};
      await fc.assert(fc.asyncProperty(fc.array(withOperands(light), { minLength: 1, maxLength: 8 }), (steps) => run(steps, tally)), { numRuns: 40 });
      report("generated sequences", tally);
      expect(unhandled, "unhandled rejections").to.deep.equal([]);
    });

    it("messages over 32 MiB and up to 10,000 concurrent calls: refused or answered, and the next call works", async () => {
      const tally: Record<string, number> = {};
      await fc.assert(fc.asyncProperty(fc.array(withOperands(fc.oneof(light, heavy)), { minLength: 1, maxLength: 3 }), (steps) => run(steps, tally)), {
        numRuns: 12,
        examples: [[[{ kind: "concurrent", count: 10_000, offset: 7, a: 1, b: 2 }, { kind: "oversized-result", bytes: LIMIT + 1, a: 3, b: 4 }, { kind: "oversized-argument", bytes: LIMIT + 1, a: 5, b: 6 }]]],
      });
      report("generated heavy sequences", tally);
      expect(unhandled, "unhandled rejections").to.deep.equal([]);
    });
  });
}

describe("robustness: a worker whose module never finishes evaluating", function () {
  this.timeout(MODULE_EVALUATION_BUDGET_MS + HANG_BOUND_MS);

  it(`fails to start after ${MODULE_EVALUATION_BUDGET_MS} ms of synchronous top-level work, naming the worker; the next scenario starts`, async () => {
    // One case: its cost is the budget itself. What varies (the loop's shape) is generated.
    const [loop] = fc.sample(fc.constantFrom("for (;;) {}", "while (true) { n++; }", "do { n = (n + 1) % 7; } while (n >= 0);"), 1);
    const looping: WorkerDefinition = {
      name: "looper",
      main: "index.js",
      modules: { "index.js": `let n = 0;\n${loop}\nexport default { fetch() { return new Response("unreachable"); } };` },
      compatibilityDate: "2026-11-17",
      compatibilityFlags: [],
      vars: {},
      services: [],
    };
    const error = await bounded(startScenario([looping], { onLog: () => {} }), "startScenario").then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(ScenarioError);
    expect((error as Error).message).to.match(/^worker "looper": evaluating index\.js threw BudgetExceededError: .*ran synchronously for more than \d+ ms and was stopped/);
    const [healthy] = definitions("2026-11-17").slice(1);
    const scenario = await startScenario([healthy!], { onLog: () => {} });
    expect(await (await scenario.fetch("hostile", new Request("http://x/"))).text()).to.equal("hostile");
    await scenario.dispose();
    console.log("hostile workers: 1 module with a top-level endless loop stopped at its evaluation budget; the next scenario started");
  });
});

describe("robustness: the reference CLI serving a method that never returns", function () {
  this.timeout(HANG_BOUND_MS * 2);
  const configs = ["client", "server"].flatMap((w) => ["-c", `test/fixtures/robustness/loop/${w}/wrangler.toml`]);

  it("fails each such call with an error naming worker, entrypoint and method; other calls go on; the server stops on SIGTERM", async () => {
    // The budget is what the loop always exceeds (it never ends); nothing here times how long it took.
    const child = spawn(process.execPath, ["--import", "tsx", "reference/cli.ts", ...configs, "--port", "0", "--call-budget", "500"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const port = await withinHangBound(
        new Promise<string>((resolve, reject) => {
          child.stdout.on("data", () => {
            const match = /ready on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
            if (match) resolve(match[1]!);
          });
          child.on("close", () => reject(new Error(`the CLI exited before it was ready: ${stderr}`)));
        }),
        "the CLI starting",
        HANG_BOUND_MS,
      );
      const get = async (path: string) => {
        const response = await withinHangBound(fetch(`http://127.0.0.1:${port}${path}`), `GET ${path}`, HANG_BOUND_MS);
        return { status: response.status, text: await response.text() };
      };
      const sums = fc.sample(fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 })), 3);
      for (const [a, b] of sums) {
        const spin = await get("/spin");
        expect(spin.status).to.equal(500);
        expect(spin.text).to.include('server.Looper.spin() ran synchronously for more than 500 ms and was stopped');
        expect(await get(`/add?a=${a}&b=${b}`)).to.deep.equal({ status: 200, text: String(a + b) });
      }
      child.kill("SIGTERM");
      expect(await withinHangBound(exited, "the CLI stopping", HANG_BOUND_MS)).to.equal(0);
      console.log(`hostile workers: ${sums.length} endless loops in a method served by the CLI, each stopped at its call budget; the server kept answering`);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
