/** Conformance tests for spec/visibility.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../define.ts";
import { probeWorker } from "../scenario.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { argumentValue } from "../arbitraries/values.ts";
import { calleeModules, expectRpcError, expectValue, lit, notImplemented, valueExpr } from "./support.ts";

// "#constructor" is a syntax error, so it cannot be generated.
const privateName = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,12}$/).filter((n) => n !== "constructor");

defineTest({
  id: "visibility/private-members",
  title: "#private methods and fields are not reachable over RPC",
  requirements: ["VIS-PRIVATE"],
  arbitrary: fc
    .record({ cls: className, publicMethod: memberName, privateNames: distinct(privateName, 2, 2), secret: fc.string({ maxLength: 10 }) })
    .map(({ privateNames, ...rest }) => ({ ...rest, privateMethod: privateNames[0]!, privateField: privateNames[1]! })),
  scenario({ cls, publicMethod, privateMethod, privateField, secret }) {
    const source = `export class ${cls} extends WorkerEntrypoint {
  #${privateField} = ${lit(secret)};
  #${privateMethod}() { return this.#${privateField}; }
  [${lit(publicMethod)}]() { return this.#${privateMethod}(); }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `return respond({
             viaPublic: await observe(() => env.S[${lit(publicMethod)}]()),
             privateCall: await observe(() => env.S[${lit("#" + privateMethod)}]()),
             privateField: await observe(async () => await env.S[${lit("#" + privateField)}]),
           });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ privateMethod, privateField, secret }, observed) {
    const o = observed as Record<string, unknown>;
    expect(expectValue(o.viaPublic, "public method that uses the private one"), "the private members exist").to.equal(secret);
    expectRpcError(o.privateCall, `env.S["#${privateMethod}"]()`, "TypeError", notImplemented(`#${privateMethod}`));
    expectRpcError(o.privateField, `await env.S["#${privateField}"]`, "TypeError", notImplemented(`#${privateField}`));
  },
});

defineTest({
  id: "visibility/unknown-method",
  title: "calling a method the entrypoint does not have rejects with a TypeError marked remote",
  requirements: ["VIS-UNKNOWN-METHOD"],
  arbitrary: fc
    .record({ cls: className, names: distinct(memberName, 2, 4), args: fc.array(argumentValue, { maxLength: 3 }) })
    .map(({ cls, names, args }) => ({ cls, existing: names.slice(1), missing: names[0]!, args })),
  scenario({ cls, existing, missing, args }) {
    const members = existing.map((m) => `  [${lit(m)}]() { return 1; }`).join("\n");
    return {
      workers: [
        { name: "callee", modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n${members}\n}`) },
        probeWorker(
          "probe",
          `const result = await observe(() => env.S[${lit(missing)}](...${valueExpr(args)}));
           return respond({ result, remote: result.ok ? undefined : result.error?.remote });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ missing }, observed) {
    const o = observed as { result: unknown; remote: unknown };
    expectRpcError(o.result, `env.S["${missing}"]()`, "TypeError", notImplemented(missing));
    expect(o.remote, "error.remote").to.equal(true);
  },
});
