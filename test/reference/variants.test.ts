/**
 * Each broken variant changes what a probe observes, and the real runtime shows the required behaviour.
 * (That each conformance test fails under its variants is checked in test/conformance/broken-runtimes.test.ts.)
 */
import { expect } from "chai";
import { bootPair, worker } from "./helpers.ts";
import { variantNamed, VARIANTS } from "../conformance/variants/index.ts";
import type { Outcome } from "./helpers.ts";

const SERVER = `
import { WorkerEntrypoint } from "cloudflare:workers";
const log = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export class Named extends WorkerEntrypoint {
  add(a, b) { return a + b; }
  argc(...args) { return args.length; }
  bump() { this.count = (this.count ?? 0) + 1; return this.count; }
  ctxShape() { return typeof this.ctx.waitUntil; }
  envKeys() { return Object.keys(this.env); }
  varType() { return typeof this.env.J; }
  hasService() { return typeof this.env.T; }
  #secret() { return "secret"; }
  later() { this.ctx.waitUntil(sleep(10).then(() => log.push("done"))); return "returned"; }
  log() { return log.slice(); }
  mutate(o) { o.x = 99; return "mutated"; }
  object() { return { x: 1 }; }
  echo(value) { return value; }
  fetch(request) { return new Response(String(request instanceof Request)); }
}
export class Other extends WorkerEntrypoint { onlyOther() { return "other"; } }
export default class extends WorkerEntrypoint { hello() { return "default hello"; } }
`;

/**
 * Unit-level checks for the first variants. Every variant, these and later ones, is also shown to
 * break its conformance tests in test/conformance/broken-runtimes.test.ts, which is the real proof.
 */
const CASES: Record<string, string> = {
  "class-exports-not-entrypoints": "async (env) => env.S.add(1, 2)",
  "sync-result-not-thenable": "async (env) => typeof env.S.add(1, 2).then",
  "append-env-ctx": "async (env) => env.S.argc(1)",
  "reuse-instance": "async (env) => [await env.S.bump(), await env.S.bump()]",
  "constructor-args-swapped": "async (env) => env.S.ctxShape()",
  "fetch-as-rpc": 'async (env) => (await env.S.fetch("http://x/")).text()',
  "expose-private": 'async (env) => env.S["#secret"]()',
  "unknown-method-resolves-undefined": "async (env) => env.S.nope()",
  "json-vars-as-strings": "async (env) => env.S.varType()",
  "callee-sees-caller-env": "async (env) => env.S.envKeys()",
  "callee-env-without-services": "async (env) => env.S.hasService()",
  "ctx-without-waituntil": "async (env) => env.S.ctxShape()",
  "drop-waituntil": "async (env) => { await env.S.later(); await new Promise((r) => setTimeout(r, 40)); return env.S.log(); }",
  "ignore-entrypoint": "async (env) => env.S.add(1, 2)",
  "default-is-first-named": "async (env) => env.D.hello()",
  "merge-entrypoints": "async (env) => env.S.onlyOther()",
  "args-by-reference": "async (env) => { const o = { x: 1 }; await env.S.mutate(o); return o.x; }",
  "result-by-reference": "async (env) => (await env.S.object()) instanceof Object",
  "lossy-strings": 'async (env) => (await env.S.echo("\\uD800")) === "\\uD800"',
};

/** What the real runtime must answer (workerd's behaviour). */
const EXPECTED: Record<string, unknown> = {
  "class-exports-not-entrypoints": 3,
  "sync-result-not-thenable": "function",
  "append-env-ctx": 1,
  "reuse-instance": [1, 1],
  "constructor-args-swapped": "function",
  "fetch-as-rpc": "true",
  "expose-private": { ctor: "TypeError", message: 'The RPC receiver does not implement the method "#secret".' },
  "unknown-method-resolves-undefined": { ctor: "TypeError", message: 'The RPC receiver does not implement the method "nope".' },
  "json-vars-as-strings": "object",
  "callee-sees-caller-env": ["J", "T"],
  "callee-env-without-services": "object",
  "ctx-without-waituntil": "function",
  "drop-waituntil": ["done"],
  "ignore-entrypoint": 3,
  "default-is-first-named": "default hello",
  "merge-entrypoints": { ctor: "TypeError", message: 'The RPC receiver does not implement the method "onlyOther".' },
  "args-by-reference": 1,
  "result-by-reference": true,
  "lossy-strings": true,
};

/** Run `probe` on a fresh scenario, real or with the named variant; the outcome, summarized. */
async function observe(probe: string, variantName?: string): Promise<unknown> {
  const variant = variantName === undefined ? undefined : variantNamed(variantName);
  const pair = await bootPair({
    server: SERVER,
    probes: { probe },
    serverVars: { J: { a: 1 } },
    serverServices: [{ binding: "T", service: "third" }],
    services: [
      { binding: "S", service: "server", entrypoint: "Named" },
      { binding: "D", service: "server" },
    ],
    extra: [worker("third", "export default { fetch() { return new Response(''); } };")],
    ...(variant && { variant }),
  });
  try {
    return summarize(await pair.probe("probe"));
  } finally {
    await pair.dispose();
  }
}

function summarize(outcome: Outcome): unknown {
  return "error" in outcome ? { ctor: outcome.error.ctor, message: outcome.error.message } : outcome.ok;
}

describe("reference: broken variants", function () {
  // expose-private loads TypeScript's parser on first use, which takes seconds on a busy machine.
  this.timeout(30_000);
  it("every case is a variant, and every variant names the requirements it breaks and says how", () => {
    expect(VARIANTS.map((v) => v.name)).to.include.members(Object.keys(CASES));
    for (const v of VARIANTS) {
      expect(v.breaks, v.name).to.not.be.empty;
      for (const id of v.breaks) expect(id, v.name).to.match(/^[A-Z]+-[A-Z0-9-]+$/);
      expect(v.description, v.name).to.match(/\S/);
    }
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: the broken runtime differs from the required behaviour`, async () => {
      const [normal, broken] = await Promise.all([observe(CASES[name]!), observe(CASES[name]!, name)]);
      expect(normal, "real").to.deep.equal(EXPECTED[name]);
      expect(broken, "broken").not.to.deep.equal(normal);
    });
  }

  it("refuses an unknown variant name", async () => {
    let error: unknown;
    try {
      await observe(CASES["append-env-ctx"]!, "no-such-variant");
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/unknown broken variant "no-such-variant"/);
  });
});
