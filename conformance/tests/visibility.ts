/** Conformance tests for spec/visibility.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { probeWorker } from "../engine/scenario.ts";
import { awkwardName, classifyName, className, distinct, memberName, RESERVED_NAMES } from "../arbitraries/names.ts";
import { argumentValue, jsonLikeValue } from "../arbitraries/values.ts";
import { calleeModules, expectRpcError, expectValue, lit, notImplemented, valueExpr } from "./support.ts";

const notAFunction = (name: string) => `"${name}" is not a function.`;
const reservedMessage = (name: string) => `'${name}' is a reserved method and cannot be called over RPC.`;
/** A value a getter may return: anything but undefined, which reads as "not implemented". */
const definedValue = jsonLikeValue.filter((v) => v !== undefined);

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

defineTest({
  id: "visibility/prototype-getter",
  title: "prototype getters run remotely on a fresh instance; calling a non-function member rejects",
  requirements: ["VIS-PROTOTYPE-GETTER", "VIS-NOT-A-FUNCTION"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 5, 5),
    value: definedValue,
    later: definedValue,
    delay: fc.integer({ min: 0, max: 20 }),
  }),
  numRuns: 40,
  scenario({ cls, names: [sync, later, undef, data, reads], value, later: laterValue, delay }) {
    const source = `let constructed = 0;
let reads = 0;
export class ${cls} extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.seq = ++constructed; }
  get [${lit(sync!)}]() { reads++; return { value: ${valueExpr(value)}, seq: this.seq, hasCtx: typeof this.ctx.waitUntil }; }
  get [${lit(later!)}]() { return new Promise((resolve) => setTimeout(() => resolve(${valueExpr(laterValue)}), ${delay})); }
  get [${lit(undef!)}]() { reads++; return undefined; }
  [${lit(reads!)}]() { return reads; }
}
${cls}.prototype[${lit(data!)}] = ${valueExpr(value)};`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `const S = env.S;
           return respond({
             first: await observe(async () => await S[${lit(sync!)}]),
             second: await observe(async () => await S[${lit(sync!)}]),
             later: await observe(async () => await S[${lit(later!)}]),
             undef: await observe(async () => await S[${lit(undef!)}]),
             data: await observe(async () => await S[${lit(data!)}]),
             callGetter: await observe(() => S[${lit(sync!)}]()),
             callLater: await observe(() => S[${lit(later!)}]()),
             callData: await observe(() => S[${lit(data!)}](1)),
             reads: await observe(() => S[${lit(reads!)}]()),
           });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ names: [sync, later, undef, data], value, later: laterValue }, observed) {
    const o = observed as Record<string, unknown>;
    const first = expectValue(o.first, `await env.S["${sync}"]`) as { value: unknown; seq: number; hasCtx: string };
    const second = expectValue(o.second, `second await env.S["${sync}"]`) as { value: unknown; seq: number };
    expect(first.value, "the getter's value").to.deep.equal(value);
    expect(first.hasCtx, "the getter runs on an entrypoint instance (this.ctx)").to.equal("function");
    expect(second.seq, "each read constructs a fresh instance").to.not.equal(first.seq);
    expect(expectValue(o.later, `await env.S["${later}"] (a getter returning a promise)`)).to.deep.equal(laterValue);
    expectRpcError(o.undef, `await env.S["${undef}"] (a getter returning undefined)`, "TypeError", notImplemented(undef!));
    expect(expectValue(o.data, `await env.S["${data}"] (a data property on the prototype)`)).to.deep.equal(value);
    expectRpcError(o.callGetter, `env.S["${sync}"]()`, "TypeError", notAFunction(sync!));
    expectRpcError(o.callLater, `env.S["${later}"]()`, "TypeError", notAFunction(later!));
    expectRpcError(o.callData, `env.S["${data}"](1)`, "TypeError", notAFunction(data!));
    expect((o.callGetter as { error: { remote?: unknown } }).error.remote, "error.remote").to.equal(true);
    expect(expectValue(o.reads, "getter read count"), "getter runs: two awaits, the call, and the undefined getter once").to.equal(4);
  },
});

defineTest({
  id: "visibility/inherited",
  title: "methods and getters of user superclasses (depth 1-3) are reachable; the nearest definition wins",
  requirements: ["VIS-INHERITED"],
  arbitrary: fc.integer({ min: 1, max: 3 }).chain((depth) =>
    fc.record({
      depth: fc.constant(depth),
      classes: distinct(className, depth + 1, depth + 1),
      names: distinct(memberName, depth + 3, depth + 3),
      values: fc.array(definedValue, { minLength: depth + 1, maxLength: depth + 1 }),
    }),
  ),
  numRuns: 40,
  scenario({ depth, classes, names, values }) {
    // classes[0] extends WorkerEntrypoint; classes[depth] is the exported entrypoint.
    const [shared, getter, superCall, ...own] = names;
    const source = classes
      .map((name, level) => {
        const base = level === 0 ? "WorkerEntrypoint" : classes[level - 1];
        const members = [
          `  [${lit(own[level]!)}]() { return ${valueExpr(values[level])}; }`,
          `  [${lit(shared!)}]() { return ${level}; }`,
          level === 0 ? `  get [${lit(getter!)}]() { return { level: 0, hasEnv: typeof this.env }; }` : "",
          level === depth ? `  [${lit(superCall!)}]() { return super[${lit(shared!)}](); }` : "",
        ];
        return `${level === depth ? "export " : ""}class ${name} extends ${base} {
${members.filter(Boolean).join("\n")}
}`;
      })
      .join("\n");
    const calls = own.map((name) => `await observe(() => env.S[${lit(name)}]())`).join(", ");
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `return respond({
             own: [${calls}],
             shared: await observe(() => env.S[${lit(shared!)}]()),
             getter: await observe(async () => await env.S[${lit(getter!)}]),
             superCall: await observe(() => env.S[${lit(superCall!)}]()),
           });`,
          { services: [{ binding: "S", service: "callee", entrypoint: classes[depth]! }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ depth, names, values }, observed) {
    const o = observed as { own: unknown[]; shared: unknown; getter: unknown; superCall: unknown };
    o.own.forEach((result, level) => {
      expect(expectValue(result, `env.S["${names[3 + level]}"]() (defined at level ${level} of ${depth})`)).to.deep.equal(values[level]);
    });
    expect(expectValue(o.shared, "a name every class defines"), "the definition nearest the entrypoint class wins").to.equal(depth);
    expect(expectValue(o.getter, "a getter of the base-most user class")).to.deep.equal({ level: 0, hasEnv: "object" });
    expect(expectValue(o.superCall, "a method calling super"), "super reaches the parent's definition").to.equal(depth - 1);
  },
});

defineTest({
  id: "visibility/own-static-env-ctx",
  title: "own instance properties, statics, this.env and this.ctx are not reachable",
  requirements: ["VIS-OWN-PROPERTIES", "VIS-STATIC", "VIS-ENV-CTX"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 6, 6),
    value: definedValue,
  }),
  numRuns: 40,
  scenario({ cls, names: [assigned, assignedFn, field, arrow, staticMethod, staticGetter], value }) {
    const source = `export class ${cls} extends WorkerEntrypoint {
  [${lit(field!)}] = ${valueExpr(value)};
  [${lit(arrow!)}] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this[${lit(assigned!)}] = ${valueExpr(value)};
    this[${lit(assignedFn!)}] = () => "assigned function";
  }
  static [${lit(staticMethod!)}]() { return "static"; }
  static get [${lit(staticGetter!)}]() { return "static getter"; }
}`;
    const names = [assigned, assignedFn, field, arrow, staticMethod, staticGetter, "env", "ctx"];
    const probes = names.map((n) => `[${lit(n!)}]: { call: await observe(() => env.S[${lit(n!)}]()), read: await observe(async () => await env.S[${lit(n!)}]) }`);
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `return respond({ ${probes.join(",\n")} });`, { services: [{ binding: "S", service: "callee", entrypoint: cls }] }),
      ],
      probe: "probe",
    };
  },
  check({ names }, observed) {
    const o = observed as Record<string, { call: unknown; read: unknown }>;
    const kinds = ["assigned in the constructor", "function assigned in the constructor", "class field", "arrow-function field", "static method", "static getter"];
    [...names.map((n, i) => [n, kinds[i]!] as const), ["env", "this.env"] as const, ["ctx", "this.ctx"] as const].forEach(([name, kind]) => {
      expectRpcError(o[name]!.call, `env.S["${name}"]() (${kind})`, "TypeError", notImplemented(name));
      expectRpcError(o[name]!.read, `await env.S["${name}"] (${kind})`, "TypeError", notImplemented(name));
    });
  },
});

defineTest({
  id: "visibility/reserved",
  title: "dup, alarm and the webSocket handlers are refused over RPC even when defined",
  requirements: ["VIS-RESERVED"],
  arbitrary: fc.record({
    cls: className,
    counter: memberName,
    names: fc.subarray([...RESERVED_NAMES], { minLength: 1 }),
    defined: fc.boolean(),
  }),
  scenario({ cls, counter, names, defined }) {
    const members = defined ? names.map((n) => `  [${lit(n)}]() { calls++; return "ran"; }`).join("\n") : "";
    const source = `let calls = 0;
export class ${cls} extends WorkerEntrypoint {
${members}
  [${lit(counter)}]() { return calls; }
}`;
    const probes = names.map((n) => `[${lit(n)}]: { call: await observe(() => env.S[${lit(n)}]()), read: await observe(async () => await env.S[${lit(n)}]) }`);
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `return respond({ names: { ${probes.join(",\n")} }, calls: await observe(() => env.S[${lit(counter)}]()) });`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ names }, observed) {
    const o = observed as { names: Record<string, { call: unknown; read: unknown }>; calls: unknown };
    for (const name of names) {
      expectRpcError(o.names[name]!.call, `env.S.${name}()`, "TypeError", reservedMessage(name));
      expect((o.names[name]!.call as { error: { remote?: unknown } }).error.remote, `env.S.${name}(): error.remote`).to.equal(true);
      expectRpcError(o.names[name]!.read, `await env.S.${name}`, "TypeError", reservedMessage(name));
    }
    expect(expectValue(o.calls, "call counter"), "reserved members never ran").to.equal(0);
  },
});

defineTest({
  id: "visibility/binding-not-thenable",
  title: "a binding is not a thenable: awaiting or returning it yields the binding itself",
  requirements: ["VIS-THEN"],
  arbitrary: fc.record({ cls: className, counter: memberName, defined: fc.boolean() }),
  scenario({ cls, counter, defined }) {
    const source = `let calls = 0;
export class ${cls} extends WorkerEntrypoint {
${defined ? `  then(resolve) { calls++; resolve("from the callee"); }` : ""}
  [${lit(counter)}]() { return calls; }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `const S = env.S;
           return respond({
             type: await observe(() => typeof S.then),
             awaited: await observe(async () => (await S) === S),
             resolved: await observe(async () => (await Promise.resolve(S)) === S),
             returned: await observe(async () => (await (async () => S)()) === S),
             calls: await observe(() => S[${lit(counter)}]()),
           });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check(_c, observed) {
    const o = observed as Record<string, unknown>;
    expect(expectValue(o.type, "typeof env.S.then")).to.equal("undefined");
    expect(expectValue(o.awaited, "(await env.S) === env.S")).to.equal(true);
    expect(expectValue(o.resolved, "(await Promise.resolve(env.S)) === env.S")).to.equal(true);
    expect(expectValue(o.returned, "an async function returning env.S")).to.equal(true);
    expect(expectValue(o.calls, "then() calls on the callee")).to.equal(0);
  },
});

/** Object.prototype's names, minus `constructor`, which a class body cannot redefine as a method. */
const OBJECT_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => n !== "constructor");

defineTest({
  id: "visibility/local-names",
  title: "Object.prototype names resolve locally on a binding and never call the callee",
  requirements: ["VIS-LOCAL-NAMES"],
  arbitrary: fc.record({ cls: className, counter: memberName, names: fc.subarray(OBJECT_PROTOTYPE_NAMES, { minLength: 1 }), withArg: fc.boolean() }),
  scenario({ cls, counter, names, withArg }) {
    const members = names.map((n) => `  [${lit(n)}]() { calls.push(${lit(n)}); return "remote"; }`).join("\n");
    const source = `const calls = [];
export class ${cls} extends WorkerEntrypoint {
${members}
  [${lit(counter)}]() { return calls; }
}`;
    // Some local members throw synchronously (e.g. __proto__ is not a function): only whether the callee ran matters.
    const uses = names.map((n) => `try { await env.S[${lit(n)}](${withArg ? `"x"` : ""}); } catch {}`).join("\n");
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `${uses}
await new Promise((resolve) => setTimeout(resolve, 5));
return respond(await observe(() => env.S[${lit(counter)}]()));`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check(_c, observed) {
    expect(expectValue(observed, "the callee's record of calls"), "Object.prototype names that reached the callee").to.deep.equal([]);
  },
});

defineTest({
  id: "visibility/symbol-keys",
  title: "symbol-keyed members are not reachable through a binding",
  requirements: ["VIS-SYMBOL"],
  arbitrary: fc.record({ cls: className, description: memberName, registered: fc.boolean() }),
  scenario({ cls, description, registered }) {
    const symbol = registered ? `Symbol.for(${lit(description)})` : `unique`;
    const source = `const unique = Symbol(${lit(description)});
export class ${cls} extends WorkerEntrypoint {
  [${registered ? symbol : "unique"}]() { return "symbol"; }
  [${lit(description)}]() { return "string"; }
}`;
    // The probe cannot share the callee's unique symbol; it makes its own with the same description.
    const probeSymbol = registered ? symbol : `Symbol(${lit(description)})`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `return respond({
             generated: await observe(() => typeof env.S[${probeSymbol}]),
             iterator: await observe(() => typeof env.S[Symbol.iterator]),
             asyncIterator: await observe(() => typeof env.S[Symbol.asyncIterator]),
             byString: await observe(() => env.S[${lit(description)}]()),
           });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ description }, observed) {
    const o = observed as Record<string, unknown>;
    expect(expectValue(o.generated, `typeof env.S[Symbol(${description})]`)).to.equal("undefined");
    expect(expectValue(o.iterator, "typeof env.S[Symbol.iterator]")).to.equal("undefined");
    expect(expectValue(o.asyncIterator, "typeof env.S[Symbol.asyncIterator]")).to.equal("undefined");
    expect(expectValue(o.byString, `env.S["${description}"]() (the string name is an ordinary method)`)).to.equal("string");
  },
});

defineTest({
  id: "visibility/name-fuzz",
  title: "any well-formed string is a method name, except names a binding resolves locally",
  requirements: ["VIS-NAME-FUZZ"],
  arbitrary: fc
    .record({ cls: className, names: fc.uniqueArray(awkwardName, { minLength: 1, maxLength: 5 }), definedMask: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }) })
    .map(({ cls, names, definedMask }) => ({ cls, names: names.map((name, i) => ({ name, defined: definedMask[i]! })) })),
  numRuns: 40,
  scenario({ cls, names }) {
    const members = names
      .filter((n) => n.defined && n.name !== "constructor")
      .map(({ name }) => `  [${lit(name)}](x) { return { name: ${lit(name)}, x }; }`)
      .join("\n");
    const source = `export class ${cls} extends WorkerEntrypoint {
${members}
}`;
    const probes = names.map(({ name }) => {
      const kind = classifyName(name);
      const call = kind === "rpc" || kind === "reserved" ? `await observe(() => env.S[${lit(name)}](7))` : "null";
      return `{ type: typeof env.S[${lit(name)}], call: ${call} }`;
    });
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `return respond([${probes.join(",\n")}]);`, { services: [{ binding: "S", service: "callee", entrypoint: cls }] }),
      ],
      probe: "probe",
    };
  },
  check({ names }, observed) {
    const results = observed as { type: string; call: unknown }[];
    names.forEach(({ name, defined }, i) => {
      const { type, call } = results[i]!;
      const shown = JSON.stringify(name.length > 40 ? name.slice(0, 40) + "…" : name);
      switch (classifyName(name)) {
        case "local":
          // Resolved on the binding object: undefined for `then`, the binding's own member otherwise.
          expect(type, `typeof env.S[${shown}] (resolves locally)`).to.equal(name === "then" ? "undefined" : ["fetch", "connect"].includes(name) ? "function" : typeof (Object.prototype as Record<string, unknown>)[name]);
          break;
        case "index":
          expect(type, `typeof env.S[${shown}] (an array index)`).to.equal("undefined");
          break;
        case "reserved":
          expectRpcError(call, `env.S[${shown}](7)`, "TypeError", reservedMessage(name));
          break;
        case "rpc":
          expect(type, `typeof env.S[${shown}]`).to.equal("function");
          if (defined) expect(expectValue(call, `env.S[${shown}](7)`), "the method of that exact name ran").to.deep.equal({ name, x: 7 });
          else expectRpcError(call, `env.S[${shown}](7) (not defined)`, "TypeError", notImplemented(name));
          break;
      }
    });
  },
});
