/**
 * Issue #7, the capability boundary, on the reference runtime: a binding reaches only the members
 * of the entrypoint it names. fast-check generates the names called through it (the awkward ones
 * — `__proto__`, `constructor`, `prototype`, `toString`, `then`, `#x`, `env`, `ctx`, empty,
 * unicode, very long — and arbitrary strings); the callee plants each name as an own property, a
 * static and a member of a sibling entrypoint, and watches its Object.prototype functions, so any
 * of them being reached is recorded. Each name is also tried on the stub of an RpcTarget the
 * callee hands out (statics, private members, a sibling class: STUB-RPCTARGET-HIDDEN). Then: workers cannot see each other's globals, module state
 * or env, and mutating received values (or a prototype) in the callee never shows in the caller.
 *
 * What each name does on workerd is the visibility chapter's business (conformance/tests/
 * visibility.ts); this file checks the invariant that holds whatever the name: nothing hidden is
 * reached, and nothing hidden comes back.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import fc from "fast-check";
import { startScenario } from "../../reference/index.ts";
import type { ReferenceScenario, WorkerDefinition } from "../../reference/index.ts";

const CALLEE = readFileSync(new URL("../fixtures/robustness/boundary-callee.js", import.meta.url), "utf8");
const PROBE = readFileSync(new URL("../fixtures/robustness/boundary-probe.js", import.meta.url), "utf8");
const PROFILES = ["2024-04-03", "2026-11-17"];
const SECRETS = ["LEAKED", "module-secret", "global-secret", "s3cret-env-value"];

/** Names that have tripped RPC systems, then any string at all. */
const awkwardName = fc.oneof(
  fc.constantFrom(
    "__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "then", "catch",
    "#hidden", "#privateMethod", "#x", "env", "ctx", "ownField", "staticMethod", "otherMethod", "length", "name",
    "", " ", "0", "-1", "1e3", "toJSON", "dup", "fetch", "connect", "plant", "touched",
  ),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.stringMatching(/^[#$_A-Za-z][\w$]{0,10}$/),
  fc.integer({ min: 1_000, max: 100_000 }).chain((length) => fc.constantFrom("a", "é", "😀", "#").map((c) => c.repeat(length))),
).filter((name) => name !== "visible" && name !== "baseVisible"); // the public methods

function definitions(date: string): WorkerDefinition[] {
  const base = { compatibilityDate: date, compatibilityFlags: [], main: "index.js" };
  return [
    {
      ...base,
      name: "probe",
      modules: { "index.js": PROBE },
      vars: {},
      services: [
        { binding: "S", service: "callee", entrypoint: "Secret" },
        { binding: "C", service: "callee", entrypoint: "Control" },
      ],
    },
    { ...base, name: "callee", modules: { "index.js": CALLEE }, vars: { SECRET: "s3cret-env-value" }, services: [] },
  ];
}

async function post(scenario: ReferenceScenario, command: object): Promise<any> {
  const response = await scenario.fetch("probe", new Request("http://probe/", { method: "POST", body: JSON.stringify(command) }));
  return response.json();
}

for (const date of PROFILES) {
  describe(`robustness: the capability boundary (compatibility date ${date})`, function () {
    this.timeout(120_000);
    let scenario: ReferenceScenario;
    before(async () => {
      scenario = await startScenario(definitions(date), { onLog: () => {} });
    });
    after(() => scenario.dispose());

    it("a binding reaches only its entrypoint's public methods, whatever the name", async () => {
      let names = 0;
      let local = 0;
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(fc.tuple(awkwardName, fc.boolean()), { minLength: 1, maxLength: 12, selector: ([name]) => name }), async (batch) => {
          const seen = await post(scenario, { op: "names", names: batch });
          for (const { name, call, read, stubCall, stubRead, touched, local: isLocal } of seen) {
            names++;
            const label = `name ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…(${name.length})` : name)}`;
            expect(touched, `${label} reached something hidden`).to.deep.equal([]);
            for (const outcome of [call, read, stubCall, stubRead]) {
              for (const secret of SECRETS) expect(outcome.text ?? "", `${label} brought back a secret`).not.to.include(secret);
            }
            // Names of the caller's Object.prototype resolve locally; every other name is refused by the callee.
            if (isLocal) local++;
            else {
              expect(call.kind, `${label}: ${call.text}`).to.equal("rejected");
              // `dup` is the one name a stub answers itself (STUB-DUP).
              if (name !== "dup") expect(stubCall.kind, `${label} on the RpcTarget's stub: ${stubCall.text}`).to.equal("rejected");
            }
          }
        }),
        // Every hidden member the callee has, by its real name, is always tried once.
        { numRuns: 40, examples: [[["#hidden", "#privateMethod", "#field", "staticMethod", "targetStatic", "baseStatic", "otherMethod", "ownField", "env", "ctx", "__proto__"].map((n) => [n, false] as [string, boolean])]] },
      );
      console.log(`capability boundary (${date}): ${names} fuzzed names called and read on a binding and on an RpcTarget stub, ${local} resolved locally, 0 reached a hidden member`);
    });

    it("workers see neither each other's globals, module state nor env; prototype pollution stays in the polluter", async () => {
      const globalName = fc.stringMatching(/^[A-Za-z_$][\w$]{0,12}$/).filter((n) => !(n in globalThis) && !["undefined", "NaN", "Infinity"].includes(n));
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.tuple(globalName, fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 5, selector: ([n]) => n }),
          globalName.map((n) => `polluted_${n}`),
          async (globals, pollute) => {
            cases++;
            const seen = await post(scenario, { op: "isolation", globals, pollute });
            expect(seen.calleeSees, "the callee sees the caller's globals").to.deep.equal(globals.map(() => false));
            expect(seen.leaked, "the callee's prototype pollution reached the caller").to.deep.equal([]);
            expect(seen.envKeys, "the caller's env").to.deep.equal(["S", "C"]);
            expect(seen.calleeEnvKeys, "the callee's env").to.deep.equal(["SECRET"]);
            expect(seen.visible).to.equal("visible false");
          },
        ),
        { numRuns: 50 },
      );
      console.log(`capability boundary (${date}): ${cases} isolation cases (globals, module state, env, prototypes), 0 leaks`);
    });

    it("what the callee does to a received value, or the caller to a returned one, stays on its side", async () => {
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
          cases++;
          const seen = await post(scenario, { op: "mutation", value });
          expect(seen.afterSend, "the caller's argument after the callee vandalized its copy").to.equal(seen.before);
          expect(seen.samePrototype).to.equal(true);
          expect(seen.keptAfter, "the callee's kept value after the caller mutated the result").to.equal(seen.before);
        }),
        { numRuns: 60 },
      );
      console.log(`capability boundary (${date}): ${cases} generated values mutated on the other side, 0 leaks`);
    });
  });
}
