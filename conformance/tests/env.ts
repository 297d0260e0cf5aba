/** Conformance tests for spec/env.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { probeWorker } from "../engine/scenario.ts";
import { className, distinct, envKey, memberName } from "../arbitraries/names.ts";
import { configJsonValue, wellFormedString } from "../arbitraries/values.ts";
import { calleeModules, expectValue, lit } from "./support.ts";

/** A [vars] value: a string, or a JSON value (wrangler turns non-string vars into JSON bindings). */
const varValue = fc.oneof(wellFormedString, configJsonValue.filter((v) => v !== null));

defineTest({
  id: "env/vars",
  title: "this.env carries the callee's [vars], strings as strings and JSON values parsed",
  requirements: ["ENV-VARS"],
  arbitrary: fc.record({
    cls: className,
    method: memberName,
    vars: distinct(envKey, 1, 5).chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), varValue)))).map((e) => Object.fromEntries(e)),
  }),
  scenario({ cls, method, vars }) {
    return {
      workers: [
        {
          name: "callee",
          modules: calleeModules(
            `export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}](keys) { return keys.map((k) => ({ type: typeof this.env[k], value: this.env[k] })); }\n}`,
          ),
          vars,
        },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(method)}](${JSON.stringify(Object.keys(vars))})));`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ vars }, observed) {
    const seen = expectValue(observed, "call") as { type: string; value: unknown }[];
    Object.entries(vars).forEach(([key, value], i) => {
      expect(seen[i]!.type, `this.env.${key}: the type of a var`).to.equal(typeof value);
      expect(seen[i]!.value, `this.env.${key}: the value of a var`).to.deep.equal(value);
    });
  },
});

defineTest({
  id: "env/callee-own",
  title: "this.env is the callee's env, not the caller's, even for a name both define",
  requirements: ["ENV-CALLEE-OWN"],
  arbitrary: fc
    // The var must not be named like the probe's binding S (a name may be bound only once).
    .record({ cls: className, method: memberName, key: envKey.filter((k) => k !== "S"), values: distinct(wellFormedString, 2, 2) })
    .map(({ values, ...rest }) => ({ ...rest, callerValue: values[0]!, calleeValue: values[1]! })),
  scenario({ cls, method, key, callerValue, calleeValue }) {
    return {
      workers: [
        {
          name: "callee",
          modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}]() { return this.env[${lit(key)}]; }\n}`),
          vars: { [key]: calleeValue },
        },
        probeWorker("probe", `return respond({ mine: env[${lit(key)}], theirs: await observe(() => env.S[${lit(method)}]()) });`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
          vars: { [key]: callerValue },
        }),
      ],
      probe: "probe",
    };
  },
  check({ callerValue, calleeValue }, o: { mine: unknown; theirs: unknown }) {
    expect(o.mine, "the caller's own env").to.equal(callerValue);
    expect(expectValue(o.theirs, "call"), "this.env inside the callee").to.equal(calleeValue);
  },
});

defineTest({
  id: "env/service-bindings",
  title: "the callee's own service bindings are on this.env and can be called (a chain of workers)",
  requirements: ["ENV-SERVICE-BINDINGS"],
  arbitrary: fc.record({ method: memberName, hops: distinct(className, 2, 4), tags: fc.array(fc.string({ maxLength: 6 }), { minLength: 4, maxLength: 4 }) }),
  scenario({ method, hops, tags }) {
    const workers = hops.map((cls, i) => {
      const last = i === hops.length - 1;
      const body = last
        ? `return [${lit(tags[i]!)}];`
        : `return [${lit(tags[i]!)}, ...(await this.env.NEXT[${lit(method)}]())];`;
      return {
        name: `w${i}`,
        modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n  async [${lit(method)}]() { ${body} }\n}`),
        services: last ? [] : [{ binding: "NEXT", service: `w${i + 1}`, entrypoint: hops[i + 1]! }],
      };
    });
    return {
      workers: [
        ...workers,
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(method)}]()));`, {
          services: [{ binding: "S", service: "w0", entrypoint: hops[0]! }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ hops, tags }, observed) {
    expect(expectValue(observed, "call through the chain"), "tags collected hop by hop").to.deep.equal(tags.slice(0, hops.length));
  },
});

/** Props for a binding, or none. */
const maybeProps = fc.option(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), configJsonValue, { maxKeys: 2, noNullPrototype: true }), { nil: undefined });

defineTest({
  id: "env/same-object",
  title: "every call into a worker sees the same env object, whichever binding, props or entrypoint it came through",
  requirements: ["ENV-SAME-OBJECT"],
  arbitrary: fc.record({
    classes: distinct(className, 1, 2),
    method: memberName,
    bindings: fc.array(fc.record({ cls: fc.nat(1), props: maybeProps }), { minLength: 1, maxLength: 3 }),
    calls: fc.array(fc.nat(2), { minLength: 2, maxLength: 6 }),
  }),
  scenario({ classes, method, bindings, calls }) {
    const source = `const seen = [];
${classes.map((cls) => `export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}]() { if (!seen.includes(this.env)) seen.push(this.env); return seen.indexOf(this.env); }\n}`).join("\n")}`;
    const services = bindings.map((b, i) => ({
      binding: `B${i}`,
      service: "callee",
      entrypoint: classes[b.cls % classes.length]!,
      ...(b.props === undefined ? {} : { props: b.props }),
    }));
    const order = calls.map((c) => `B${c % bindings.length}`);
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `const out = [];
           for (const b of ${JSON.stringify(order)}) out.push(await observe(() => env[b][${lit(method)}]()));
           return respond(out);`,
          { services },
        ),
      ],
      probe: "probe",
    };
  },
  check(_c, observed: unknown[]) {
    const indexes = observed.map((o, i) => expectValue(o, `call ${i + 1}`));
    expect(indexes, "which distinct env object each call saw (0 = the first one)").to.deep.equal(indexes.map(() => 0));
  },
});

defineTest({
  id: "env/imported",
  title: "env imported from cloudflare:workers exposes the worker's own vars and service bindings inside a method",
  requirements: ["ENV-IMPORTED"],
  arbitrary: fc.record({
    cls: className,
    method: memberName,
    vars: distinct(envKey, 1, 4).chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), varValue)))).map((e) => Object.fromEntries(e)),
    binding: envKey,
  }).filter(({ vars, binding }) => !Object.hasOwn(vars, binding)),
  scenario({ cls, method, vars, binding }) {
    const source = `import { env as importedEnv } from "cloudflare:workers";
export class ${cls} extends WorkerEntrypoint {
  async [${lit(method)}](keys) {
    return {
      keys: Object.keys(importedEnv),
      ownKeys: Object.keys(this.env),
      values: keys.map((k) => importedEnv[k]),
      viaBinding: await importedEnv[${lit(binding)}].tripled(7),
    };
  }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source), vars, services: [{ binding, service: "third", entrypoint: "Third" }] },
        { name: "third", modules: calleeModules(`export class Third extends WorkerEntrypoint { tripled(n) { return n * 3; } }`) },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(method)}](${JSON.stringify(Object.keys(vars))})));`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ vars }, observed) {
    const seen = expectValue(observed, "call") as { keys: string[]; ownKeys: string[]; values: unknown[]; viaBinding: unknown };
    expect([...seen.keys].sort(), "Object.keys of the imported env").to.deep.equal([...seen.ownKeys].sort());
    expect(seen.values, "vars read through the imported env").to.deep.equal(Object.values(vars));
    expect(seen.viaBinding, "a service binding called through the imported env").to.equal(21);
  },
});
