/** Conformance tests for spec/env.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../define.ts";
import { probeWorker } from "../scenario.ts";
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
      expect(seen[i]!.type, `typeof this.env.${key}`).to.equal(typeof value);
      expect(seen[i]!.value, `this.env.${key}`).to.deep.equal(value);
    });
  },
});

defineTest({
  id: "env/callee-own",
  title: "this.env is the callee's env, not the caller's, even for a name both define",
  requirements: ["ENV-CALLEE-OWN"],
  arbitrary: fc
    .record({ cls: className, method: memberName, key: envKey, values: distinct(wellFormedString, 2, 2) })
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
  check({ callerValue, calleeValue }, observed) {
    const o = observed as { mine: unknown; theirs: unknown };
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
