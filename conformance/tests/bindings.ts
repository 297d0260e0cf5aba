/** Conformance tests for spec/bindings.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../define.ts";
import { probeWorker } from "../scenario.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { calleeModules, expectRpcError, expectValue, lit, notImplemented } from "./support.ts";

/** A worker exporting several named entrypoints plus a default, all with the same method name. */
function multiEntrypointSource(named: string[], method: string, defaultIsClass: boolean): string {
  const classes = named.map((cls) => `export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}]() { return ${lit("named:" + cls)}; }\n}`);
  const def = defaultIsClass
    ? `export default class extends WorkerEntrypoint {\n  [${lit(method)}]() { return "default"; }\n  fetch() { return new Response("default fetch"); }\n}`
    : `export default { fetch() { return new Response("default fetch"); } };`;
  return [...classes, def].join("\n");
}

defineTest({
  id: "bindings/named-entrypoint",
  title: "[[services]] entrypoint = \"Name\" reaches that named export, for each of several",
  requirements: ["BIND-NAMED-ENTRYPOINT"],
  arbitrary: fc.record({ named: distinct(className, 1, 4), method: memberName, order: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) }),
  scenario({ named, method, order }) {
    const services = named.map((cls, i) => ({ binding: `B${i}`, service: "callee", entrypoint: cls }));
    const calls = order.map((n) => `B${n % named.length}`);
    return {
      workers: [
        { name: "callee", modules: calleeModules(multiEntrypointSource(named, method, true)) },
        probeWorker("probe", `const out = []; for (const b of ${JSON.stringify(calls)}) out.push(await observe(() => env[b][${lit(method)}]())); return respond(out);`, {
          services,
        }),
      ],
      probe: "probe",
    };
  },
  check({ named, order }, observed) {
    (observed as unknown[]).forEach((o, i) => {
      const cls = named[order[i]! % named.length]!;
      expect(expectValue(o, `call through the binding to ${cls}`), `entrypoint reached by the binding to ${cls}`).to.equal("named:" + cls);
    });
  },
});

defineTest({
  id: "bindings/default-entrypoint",
  title: "a binding without entrypoint reaches the default export, which may be a WorkerEntrypoint class",
  requirements: ["BIND-DEFAULT-ENTRYPOINT"],
  arbitrary: fc.record({ named: distinct(className, 0, 3), method: memberName }),
  scenario({ named, method }) {
    return {
      workers: [
        { name: "callee", modules: calleeModules(multiEntrypointSource(named, method, true)) },
        probeWorker(
          "probe",
          `return respond({
             call: await observe(() => env.D[${lit(method)}]()),
             fetch: await observe(async () => (await env.D.fetch("https://callee.example/")).text()),
           });`,
          { services: [{ binding: "D", service: "callee" }] },
        ),
      ],
      probe: "probe",
    };
  },
  check(_c, observed) {
    const o = observed as { call: unknown; fetch: unknown };
    expect(expectValue(o.call, "RPC call through the binding without entrypoint")).to.equal("default");
    expect(expectValue(o.fetch, "fetch through the binding without entrypoint")).to.equal("default fetch");
  },
});

defineTest({
  id: "bindings/entrypoint-isolation",
  title: "a binding reaches only the methods of the entrypoint it names",
  requirements: ["BIND-ENTRYPOINT-ISOLATION"],
  arbitrary: fc.record({ classes: distinct(className, 2, 3), methods: distinct(memberName, 3, 3) }),
  scenario({ classes, methods }) {
    // Each class gets its own method; the default export gets the last one.
    const source =
      classes.map((cls, i) => `export class ${cls} extends WorkerEntrypoint {\n  [${lit(methods[i % 2]!)}]() { return ${lit(cls)}; }\n}`).join("\n") +
      `\nexport default class extends WorkerEntrypoint {\n  [${lit(methods[2]!)}]() { return "default"; }\n}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `return respond({
             own: await observe(() => env.A[${lit(methods[0]!)}]()),
             sibling: await observe(() => env.A[${lit(methods[1]!)}]()),
             fromDefault: await observe(() => env.A[${lit(methods[2]!)}]()),
           });`,
          { services: [{ binding: "A", service: "callee", entrypoint: classes[0]! }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ classes, methods }, observed) {
    const o = observed as Record<string, unknown>;
    expect(expectValue(o.own, "the bound entrypoint's own method")).to.equal(classes[0]);
    expectRpcError(o.sibling, `a method of sibling export ${classes[1]}`, "TypeError", notImplemented(methods[1]!));
    expectRpcError(o.fromDefault, "a method of the default export", "TypeError", notImplemented(methods[2]!));
  },
});
