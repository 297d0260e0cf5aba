/** Conformance tests for spec/visibility.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { awkwardName, classifyName, className, distinct, memberName, RESERVED_NAMES } from "../arbitraries/names.ts";
import { argumentValue, jsonLikeValue } from "../arbitraries/values.ts";
import { callerAndCallee, code, expectRpcError, expectValue, ident, js, lines, notImplemented, type Observed, remoteOf, value } from "./support.ts";

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
    const source = js`export class ${ident(cls)} extends WorkerEntrypoint {
  #${ident(privateField)} = ${secret};
  #${ident(privateMethod)}() { return this.#${ident(privateField)}; }
  [${publicMethod}]() { return this.#${ident(privateMethod)}(); }
}`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`return respond({
             viaPublic: await observe(() => env.S[${publicMethod}]()),
             privateCall: await observe(() => env.S[${"#" + privateMethod}]()),
             privateField: await observe(async () => await env.S[${"#" + privateField}]),
           });`,
    });
  },
  check({ privateMethod, privateField, secret }, o: Record<string, Observed>) {
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
    const members = lines(existing.map((m) => js`  [${m}]() { return 1; }`));
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n${members}\n}`,
      entrypoint: cls,
      probe: js`const result = await observe(() => env.S[${missing}](...${value(args)}));
           return respond({ result, remote: result.ok ? undefined : result.error?.remote });`,
    });
  },
  check({ missing }, o: { result: Observed; remote: unknown }) {
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
  scenario({ cls, names: [sync, later, undef, data, reads], value: dataValue, later: laterValue, delay }) {
    const source = js`let constructed = 0;
let reads = 0;
export class ${ident(cls)} extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.seq = ++constructed; }
  get [${sync!}]() { reads++; return { value: ${value(dataValue)}, seq: this.seq, hasCtx: typeof this.ctx.waitUntil }; }
  get [${later!}]() { return new Promise((resolve) => setTimeout(() => resolve(${value(laterValue)}), ${delay})); }
  get [${undef!}]() { reads++; return undefined; }
  [${reads!}]() { return reads; }
}
${ident(cls)}.prototype[${data!}] = ${value(dataValue)};`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`const S = env.S;
           return respond({
             first: await observe(async () => await S[${sync!}]),
             second: await observe(async () => await S[${sync!}]),
             later: await observe(async () => await S[${later!}]),
             undef: await observe(async () => await S[${undef!}]),
             data: await observe(async () => await S[${data!}]),
             callGetter: await observe(() => S[${sync!}]()),
             callLater: await observe(() => S[${later!}]()),
             callData: await observe(() => S[${data!}](1)),
             reads: await observe(() => S[${reads!}]()),
           });`,
    });
  },
  check(
    { names: [sync, later, undef, data], value, later: laterValue },
    o: { first: Observed<{ value: unknown; seq: number; hasCtx: string }>; second: Observed<{ value: unknown; seq: number }> } & Record<"later" | "undef" | "data" | "callGetter" | "callLater" | "callData" | "reads", Observed>,
  ) {
    const first = expectValue(o.first, `await env.S["${sync}"]`);
    const second = expectValue(o.second, `second await env.S["${sync}"]`);
    expect(first.value, "the getter's value").to.deep.equal(value);
    expect(first.hasCtx, "the getter runs on an entrypoint instance (this.ctx)").to.equal("function");
    expect(second.seq, "each read constructs a fresh instance").to.not.equal(first.seq);
    expect(expectValue(o.later, `await env.S["${later}"] (a getter returning a promise)`)).to.deep.equal(laterValue);
    expectRpcError(o.undef, `await env.S["${undef}"] (a getter returning undefined)`, "TypeError", notImplemented(undef!));
    expect(expectValue(o.data, `await env.S["${data}"] (a data property on the prototype)`)).to.deep.equal(value);
    expectRpcError(o.callGetter, `env.S["${sync}"]()`, "TypeError", notAFunction(sync!));
    expectRpcError(o.callLater, `env.S["${later}"]()`, "TypeError", notAFunction(later!));
    expectRpcError(o.callData, `env.S["${data}"](1)`, "TypeError", notAFunction(data!));
    expect(remoteOf(o.callGetter), "error.remote").to.equal(true);
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
    const source = lines(
      classes.map((name, level) => {
        const base = level === 0 ? "WorkerEntrypoint" : classes[level - 1]!;
        const members = [
          // `own` has a name for levels 0..depth-1 only: the exported class's own method is keyed
          // [undefined] and never called (kept so the generated workers stay as they were).
          js`  [${own[level] ?? code("undefined")}]() { return ${value(values[level])}; }`,
          js`  [${shared!}]() { return ${level}; }`,
          ...(level === 0 ? [js`  get [${getter!}]() { return { level: 0, hasEnv: typeof this.env }; }`] : []),
          ...(level === depth ? [js`  [${superCall!}]() { return super[${shared!}](); }`] : []),
        ];
        return js`${level === depth ? js`export ` : js``}class ${ident(name)} extends ${ident(base)} {
${lines(members)}
}`;
      }),
    );
    const calls = lines(
      own.map((name) => js`await observe(() => env.S[${name}]())`),
      ", ",
    );
    return callerAndCallee({
      callee: source,
      entrypoint: classes[depth]!,
      probe: js`return respond({
             own: [${calls}],
             shared: await observe(() => env.S[${shared!}]()),
             getter: await observe(async () => await env.S[${getter!}]),
             superCall: await observe(() => env.S[${superCall!}]()),
           });`,
    });
  },
  check({ depth, names, values }, o: { own: Observed[]; shared: Observed; getter: Observed; superCall: Observed }) {
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
  scenario({ cls, names: [assigned, assignedFn, field, arrow, staticMethod, staticGetter], value: fieldValue }) {
    const source = js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${field!}] = ${value(fieldValue)};
  [${arrow!}] = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    this[${assigned!}] = ${value(fieldValue)};
    this[${assignedFn!}] = () => "assigned function";
  }
  static [${staticMethod!}]() { return "static"; }
  static get [${staticGetter!}]() { return "static getter"; }
}`;
    const names = [assigned, assignedFn, field, arrow, staticMethod, staticGetter, "env", "ctx"];
    const probes = names.map((n) => js`[${n!}]: { call: await observe(() => env.S[${n!}]()), read: await observe(async () => await env.S[${n!}]) }`);
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`return respond({ ${lines(probes, ",\n")} });`,
    });
  },
  check({ names }, o: Record<string, { call: Observed; read: Observed }>) {
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
    const members = defined ? lines(names.map((n) => js`  [${n}]() { calls++; return "ran"; }`)) : js``;
    const source = js`let calls = 0;
export class ${ident(cls)} extends WorkerEntrypoint {
${members}
  [${counter}]() { return calls; }
}`;
    const probes = names.map((n) => js`[${n}]: { call: await observe(() => env.S[${n}]()), read: await observe(async () => await env.S[${n}]) }`);
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`return respond({ names: { ${lines(probes, ",\n")} }, calls: await observe(() => env.S[${counter}]()) });`,
    });
  },
  check({ names }, o: { names: Record<string, { call: Observed; read: Observed }>; calls: Observed }) {
    for (const name of names) {
      expectRpcError(o.names[name]!.call, `env.S.${name}()`, "TypeError", reservedMessage(name));
      expect(remoteOf(o.names[name]!.call), `env.S.${name}(): error.remote`).to.equal(true);
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
    const source = js`let calls = 0;
export class ${ident(cls)} extends WorkerEntrypoint {
${defined ? js`  then(resolve) { calls++; resolve("from the callee"); }` : js``}
  [${counter}]() { return calls; }
}`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`const S = env.S;
           return respond({
             type: await observe(() => typeof S.then),
             awaited: await observe(async () => (await S) === S),
             resolved: await observe(async () => (await Promise.resolve(S)) === S),
             returned: await observe(async () => (await (async () => S)()) === S),
             calls: await observe(() => S[${counter}]()),
           });`,
    });
  },
  check(_c, o: Record<"type" | "awaited" | "resolved" | "returned" | "calls", Observed>) {
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
    const members = lines(names.map((n) => js`  [${n}]() { calls.push(${n}); return "remote"; }`));
    const source = js`const calls = [];
export class ${ident(cls)} extends WorkerEntrypoint {
${members}
  [${counter}]() { return calls; }
}`;
    // Some local members throw synchronously (e.g. __proto__ is not a function): only whether the callee ran matters.
    const uses = lines(names.map((n) => js`try { await env.S[${n}](${withArg ? js`"x"` : js``}); } catch {}`));
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`${uses}
await new Promise((resolve) => setTimeout(resolve, 5));
return respond(await observe(() => env.S[${counter}]()));`,
    });
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
    const symbol = registered ? js`Symbol.for(${description})` : js`unique`;
    const source = js`const unique = Symbol(${description});
export class ${ident(cls)} extends WorkerEntrypoint {
  [${registered ? symbol : js`unique`}]() { return "symbol"; }
  [${description}]() { return "string"; }
}`;
    // The probe cannot share the callee's unique symbol; it makes its own with the same description.
    const probeSymbol = registered ? symbol : js`Symbol(${description})`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`return respond({
             generated: await observe(() => typeof env.S[${probeSymbol}]),
             iterator: await observe(() => typeof env.S[Symbol.iterator]),
             asyncIterator: await observe(() => typeof env.S[Symbol.asyncIterator]),
             byString: await observe(() => env.S[${description}]()),
           });`,
    });
  },
  check({ description }, o: Record<"generated" | "iterator" | "asyncIterator" | "byString", Observed>) {
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
    const members = lines(names.filter((n) => n.defined && n.name !== "constructor").map(({ name }) => js`  [${name}](x) { return { name: ${name}, x }; }`));
    const source = js`export class ${ident(cls)} extends WorkerEntrypoint {
${members}
}`;
    const probes = names.map(({ name }) => {
      const kind = classifyName(name);
      const call = kind === "rpc" || kind === "reserved" ? js`await observe(() => env.S[${name}](7))` : js`null`;
      return js`{ type: typeof env.S[${name}], call: ${call} }`;
    });
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`return respond([${lines(probes, ",\n")}]);`,
    });
  },
  check({ names }, results: { type: string; call: Observed | null }[]) {
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
