/** Conformance tests for spec/env.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { className, distinct, envKey, memberName } from "../arbitraries/names.ts";
import { configJsonValue, wellFormedString } from "../arbitraries/values.ts";
import { callerAndCallee, calleeWorker, callerWorker, expectValue, ident, js, json, lines, type Observed } from "./support.ts";

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
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}](keys) { return keys.map((k) => ({ type: typeof this.env[k], value: this.env[k] })); }\n}`,
      calleeVars: vars,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}](${json(Object.keys(vars))})));`,
    });
  },
  check({ vars }, observed: Observed<{ type: string; value: unknown }[]>) {
    const seen = expectValue(observed, "call");
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
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { return this.env[${key}]; }\n}`,
      calleeVars: { [key]: calleeValue },
      entrypoint: cls,
      probe: js`return respond({ mine: env[${key}], theirs: await observe(() => env.S[${method}]()) });`,
      probeVars: { [key]: callerValue },
    });
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
      const body = last ? js`return [${tags[i]!}];` : js`return [${tags[i]!}, ...(await this.env.NEXT[${method}]())];`;
      return calleeWorker(`w${i}`, js`export class ${ident(cls)} extends WorkerEntrypoint {\n  async [${method}]() { ${body} }\n}`, {
        services: last ? [] : [{ binding: "NEXT", service: `w${i + 1}`, entrypoint: hops[i + 1]! }],
      });
    });
    return {
      workers: [...workers, callerWorker("probe", js`return respond(await observe(() => env.S[${method}]()));`, { services: [{ binding: "S", service: "w0", entrypoint: hops[0]! }] })],
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
    const source = js`const seen = [];
${lines(classes.map((cls) => js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { if (!seen.includes(this.env)) seen.push(this.env); return seen.indexOf(this.env); }\n}`))}`;
    const services = bindings.map((b, i) => ({
      binding: `B${i}`,
      service: "callee",
      entrypoint: classes[b.cls % classes.length]!,
      ...(b.props === undefined ? {} : { props: b.props }),
    }));
    const order = calls.map((c) => `B${c % bindings.length}`);
    return callerAndCallee({
      callee: source,
      binding: null,
      probeServices: services,
      probe: js`const out = [];
           for (const b of ${json(order)}) out.push(await observe(() => env[b][${method}]()));
           return respond(out);`,
    });
  },
  check(_c, observed: Observed[]) {
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
    const source = js`import { env as importedEnv } from "cloudflare:workers";
export class ${ident(cls)} extends WorkerEntrypoint {
  async [${method}](keys) {
    return {
      keys: Object.keys(importedEnv),
      ownKeys: Object.keys(this.env),
      values: keys.map((k) => importedEnv[k]),
      viaBinding: await importedEnv[${binding}].tripled(7),
    };
  }
}`;
    return callerAndCallee({
      callee: source,
      calleeVars: vars,
      calleeServices: [{ binding, service: "third", entrypoint: "Third" }],
      workers: [calleeWorker("third", js`export class Third extends WorkerEntrypoint { tripled(n) { return n * 3; } }`)],
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}](${json(Object.keys(vars))})));`,
    });
  },
  check({ vars }, observed: Observed<{ keys: string[]; ownKeys: string[]; values: unknown[]; viaBinding: unknown }>) {
    const seen = expectValue(observed, "call");
    expect([...seen.keys].sort(), "Object.keys of the imported env").to.deep.equal([...seen.ownKeys].sort());
    expect(seen.values, "vars read through the imported env").to.deep.equal(Object.values(vars));
    expect(seen.viaBinding, "a service binding called through the imported env").to.equal(21);
  },
});
