/** Conformance tests for spec/stubs.md: what crosses by reference, and the lifecycle of stubs. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest, labelled } from "../engine/define.ts";
import { normalise } from "../diff/normalisations.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { jsonLikeContainer, jsonLikeValue } from "../arbitraries/values.ts";
import { expectRpcError, expectValue, lit, notImplemented, valueExpr } from "./support.ts";
import { observedEncoding } from "../arbitraries/crossing.ts";
import { bindS, errorMessage, ran, rpcCallee, rpcProbe } from "./stub-workers.ts";
import { DISPOSED_STUB_MESSAGE, lifecycleProgram, programSteps, replayLifecycle, STUB_INTERPRETER } from "../arbitraries/stub-commands.ts";

defineTest({
  id: "stubs/function",
  title: "a returned function is a callable stub that runs in the callee, with its own properties readable",
  requirements: ["STUB-FUNCTION"],
  arbitrary: fc.record({
    cls: className,
    // "name" and "length" are read-only own properties of every function.
    names: distinct(memberName.filter((n) => n !== "name" && n !== "length"), 2, 2),
    tag: jsonLikeValue,
    args: fc.array(jsonLikeValue, { minLength: 1, maxLength: 4 }),
    propValue: jsonLikeValue.filter((v) => v !== undefined),
  }),
  scenario({ cls, names: [make, prop], tag, args, propValue }) {
    const callee = `let made = 0;
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() {
    const serial = ++made; let calls = 0;
    const f = (x) => ({ tag: ${valueExpr(tag)}, x, serial, calls: ++calls });
    f[${lit(prop!)}] = ${valueExpr(propValue)};
    return f;
  }
}`;
    const body = `
      const fn = await env.S[${lit(make!)}]();
      const kind = typeof fn;
      const results = [];
      for (const x of ${valueExpr(args)}) results.push(await observe(() => fn(x)));
      const prop = await observe(() => fn[${lit(prop!)}]);
      return respond({ kind, results, prop });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ tag, args, propValue }, observed) {
    const o = ran(observed) as { kind: string; results: unknown[]; prop: unknown };
    expect(o.kind, "typeof the returned function's stub").to.equal("function");
    o.results.forEach((r, i) => {
      expect(expectValue(r, `call ${i + 1} of the stub`), `call ${i + 1}: run by the callee's function, state kept`).to.deep.equal({ tag, x: args[i], serial: 1, calls: i + 1 });
    });
    expect(expectValue(o.prop, "awaiting an own property of the function"), "the function's own property").to.deep.equal(propValue);
  },
});

defineTest({
  id: "stubs/function-arg",
  title: "a function passed as an argument runs in the caller when the callee calls it",
  requirements: ["STUB-FUNCTION-ARG"],
  arbitrary: fc.record({ cls: className, method: memberName, values: fc.array(jsonLikeValue, { minLength: 1, maxLength: 4 }) }),
  scenario({ cls, method, values }) {
    const callee = `export class ${cls} extends WorkerEntrypoint {
  async [${lit(method)}](cb, values) {
    const kind = typeof cb; const out = [];
    for (const v of values) out.push(await cb(v));
    return { kind, out };
  }
}`;
    const prelude = `const seen = [];`;
    const body = `
      const result = await observe(() => env.S[${lit(method)}]((v) => { seen.push(v); return { back: v, n: seen.length }; }, ${valueExpr(values)}));
      return respond({ result, seen });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ values }, observed) {
    const o = ran(observed) as { result: unknown; seen: unknown[] };
    const r = expectValue(o.result, "a call passing a callback") as { kind: string; out: unknown[] };
    expect(r.kind, "typeof the callback in the callee").to.equal("function");
    expect(o.seen, "the values the callback saw, in the caller").to.deep.equal(values);
    expect(r.out, "what the callee got back from the callback").to.deep.equal(values.map((v, i) => ({ back: v, n: i + 1 })));
  },
});

defineTest({
  id: "stubs/rpctarget",
  title: "an RpcTarget crosses as a stub: prototype methods, getters and fetch reachable, own properties not",
  requirements: ["STUB-RPCTARGET"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName.filter((n) => n !== "hits"), 5, 5),
    viaArgument: fc.boolean(),
    fieldValue: jsonLikeValue,
    args: fc.array(jsonLikeValue, { maxLength: 3 }),
  }),
  scenario({ cls, names: [make, method, getter, field, missing], viaArgument, fieldValue, args }) {
    const target = `class Target extends RpcTarget {
  ${lit(field!)} = ${valueExpr(fieldValue)};
  constructor() { super(); this.hits = 0; }
  [${lit(method!)}](...args) { this.hits++; return { args, hits: this.hits }; }
  get [${lit(getter!)}]() { return { hits: this.hits }; }
  fetch(...args) { return { fetch: args }; }
}`;
    const use = `async (t, args) => ({
        kind: typeof t,
        method: await observe(() => t[${lit(method!)}](...args)),
        getter: await observe(() => t[${lit(getter!)}]),
        fetch: await observe(() => t.fetch(...args)),
        fieldCall: await observe(() => t[${lit(field!)}]()),
        fieldRead: await observe(() => t[${lit(field!)}]),
        ownCall: await observe(() => t.hits()),
        missing: await observe(() => t[${lit(missing!)}]()),
      })`;
    const callee = viaArgument
      ? `export class ${cls} extends WorkerEntrypoint {\n  async [${lit(make!)}](t, args) { const use = ${use}; return await use(t, args); }\n}`
      : `${target}\nexport class ${cls} extends WorkerEntrypoint {\n  [${lit(make!)}]() { return new Target(); }\n}`;
    const body = viaArgument
      ? `return respond(await observe(() => env.S[${lit(make!)}](new Target(), ${valueExpr(args)})));`
      : `const t = await env.S[${lit(make!)}](); const use = ${use}; return respond(await observe(() => use(t, ${valueExpr(args)})));`;
    // harness's observe is needed inside the callee when the target is passed in.
    const calleeSource = viaArgument ? `import { observe } from "./harness.js";\n${callee}` : callee;
    return {
      workers: [rpcCallee("callee", calleeSource), rpcProbe("probe", viaArgument ? target : "", body, bindS(cls))],
      probe: "probe",
    };
  },
  check({ names: [, , , field, missing], viaArgument, args }, observed) {
    const where = viaArgument ? "an RpcTarget passed as an argument" : "a returned RpcTarget";
    const o = expectValue(ran(observed), where) as Record<string, unknown>;
    expect(expectValue(o.method, `${where}: a prototype method`), "its result").to.deep.equal({ args, hits: 1 });
    expect(expectValue(o.getter, `${where}: a prototype getter`), "its value").to.deep.equal({ hits: 1 });
    expect(expectValue(o.fetch, `${where}: fetch()`), "fetch is an ordinary method").to.deep.equal({ fetch: args });
    expectRpcError(o.fieldCall, `${where}: calling a class field`, "TypeError", notImplemented(field!));
    expectRpcError(o.fieldRead, `${where}: awaiting a class field`, "TypeError", notImplemented(field!));
    expectRpcError(o.ownCall, `${where}: calling an own property set in the constructor`, "TypeError", notImplemented("hits"));
    expectRpcError(o.missing, `${where}: a name the class lacks`, "TypeError", notImplemented(missing!));
  },
});

defineTest({
  id: "stubs/rpctarget-hidden",
  title: "statics (own and inherited) and #private members of an RpcTarget are not reachable through its stub or a call's thenable; a superclass method is",
  requirements: ["STUB-RPCTARGET-HIDDEN"],
  arbitrary: fc.record({
    cls: className,
    base: className,
    names: distinct(memberName, 6, 6),
    values: fc.array(jsonLikeValue, { minLength: 3, maxLength: 3 }),
  }).filter(({ cls, base }) => cls !== base),
  scenario({ cls, base, names: [make, inherited, ownStatic, baseStatic, privMethod, privField], values: [a, b, c] }) {
    const targetName = "Rpc_Target"; // generated class names have no "_"
    const callee = `class ${base} extends RpcTarget {
  [${lit(inherited!)}]() { return ${valueExpr(a)}; }
  static [${lit(baseStatic!)}]() { return "base static"; }
}
class ${targetName} extends ${base} {
  static [${lit(ownStatic!)}]() { return ${valueExpr(b)}; }
  #${privMethod}() { return ${valueExpr(c)}; }
  #${privField} = ${valueExpr(c)};
  peek() { return [this.#${privMethod}(), this.#${privField}]; } // the private members are in use
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return new ${targetName}(); }
}`;
    const hidden = [ownStatic!, baseStatic!, `#${privMethod}`, `#${privField}`];
    const body = `
      const t = await env.S[${lit(make!)}]();
      const out = { inherited: await observe(() => t[${lit(inherited!)}]()), thenInherited: await observe(() => env.S[${lit(make!)}]()[${lit(inherited!)}]()) };
      for (const name of ${JSON.stringify(hidden)}) {
        out["call " + name] = await observe(() => t[name]());
        out["read " + name] = await observe(() => t[name]);
        out["pipelined " + name] = await observe(() => env.S[${lit(make!)}]()[name]());
      }
      return respond(out);`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ names: [, , ownStatic, baseStatic, privMethod, privField], values: [a] }, observed) {
    const o = ran(observed) as Record<string, unknown>;
    expect(expectValue(o.inherited, "a method of the user superclass, through the stub"), "its result").to.deep.equal(a);
    expect(expectValue(o.thenInherited, "a method of the user superclass, pipelined"), "its result").to.deep.equal(a);
    for (const name of [ownStatic!, baseStatic!, `#${privMethod}`, `#${privField}`]) {
      for (const how of ["call", "read", "pipelined"]) expectRpcError(o[`${how} ${name}`], `${how} ${name} on the RpcTarget`, "TypeError", notImplemented(name));
    }
  },
});

/** Source of `mutate(v)`: what the wrapped target does to the arguments it gets. */
const MUTATE_ARGUMENT = `function mutate(v) { if (Array.isArray(v)) v.push("changed"); else v["changed by target"] = true; return v; }`;

function mutated(v: Record<string, unknown> | unknown[]): unknown {
  return Array.isArray(v) ? [...v, "changed"] : { ...v, "changed by target": true };
}

/** Source of the value `new RpcStub(...)` wraps, for each kind it accepts. */
function wrappableSource(kind: "object" | "function" | "rpctarget", method: string, prop: string, propValue: unknown): string {
  const body = `return { args: args.map(mutate), tag: "wrapped" };`;
  if (kind === "object") return `{ [${lit(method)}](...args) { ${body} }, [${lit(prop)}]: ${valueExpr(propValue)} }`;
  if (kind === "function") return `Object.assign((...args) => { ${body} }, { [${lit(prop)}]: ${valueExpr(propValue)} })`;
  return `new (class extends RpcTarget { [${lit(method)}](...args) { ${body} } get [${lit(prop)}]() { return ${valueExpr(propValue)}; } })()`;
}

defineTest({
  id: "stubs/rpcstub-wrap",
  title: "new RpcStub(plain object | function | RpcTarget) is a stub of the local value: thenable calls, copied arguments and results, usable across RPC",
  requirements: ["STUB-RPCSTUB-WRAP"],
  numRuns: 40,
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName.filter((n) => n !== "name" && n !== "length"), 3, 3),
    kind: fc.constantFrom("object", "function", "rpctarget"),
    where: fc.constantFrom("local", "argument", "result"),
    args: fc.array(jsonLikeContainer, { minLength: 1, maxLength: 3 }),
    propValue: jsonLikeValue.filter((v) => v !== undefined),
  }),
  scenario({ cls, names: [entry, method, prop], kind, where, args, propValue }) {
    const wrapped = wrappableSource(kind, method!, prop!, propValue);
    const callOn = (s: string) => (kind === "function" ? `${s}(...args)` : `${s}[${lit(method!)}](...args)`);
    const use = `async (s, args) => {
        const p = ${callOn("s")};
        const shape = { then: typeof p.then, promise: p instanceof Promise };
        return { shape, result: await p, prop: await s[${lit(prop!)}] };
      }`;
    const callee = `import { RpcStub } from "cloudflare:workers";
${MUTATE_ARGUMENT}
export class ${cls} extends WorkerEntrypoint {
  async [${lit(entry!)}](s, args) {
    if (s === undefined) return new RpcStub(${wrapped});
    const use = ${use};
    return await use(s, args);
  }
}`;
    const prelude = `import { RpcStub } from "cloudflare:workers";\n${MUTATE_ARGUMENT}`;
    const body = `
      const args = ${valueExpr(args)};
      const use = ${use};
      let out;
      ${where === "local" ? `out = await use(new RpcStub(${wrapped}), args);` : ""}
      ${where === "argument" ? `out = await env.S[${lit(entry!)}](new RpcStub(${wrapped}), args);` : ""}
      ${where === "result" ? `out = await use(await env.S[${lit(entry!)}](), args);` : ""}
      return respond({ out, argsAfter: args });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ kind, where, args, propValue }, observed) {
    const o = ran(observed) as { out: { shape: unknown; result: unknown; prop: unknown }; argsAfter: unknown };
    const what = `a stub of a ${kind} made by new RpcStub, used ${where === "local" ? "where it was made" : where === "argument" ? "by a callee it was passed to" : "by the caller it was returned to"}`;
    expect(o.out.shape, `${what}: a call's value`).to.deep.equal({ then: "function", promise: false });
    expect(o.out.result, `${what}: the call's result (the target changed its copies of the arguments)`).to.deep.equal({ args: args.map(mutated), tag: "wrapped" });
    expect(o.out.prop, `${what}: awaiting a ${kind === "rpctarget" ? "getter" : "own property"}`).to.deep.equal(propValue);
    expect(o.argsAfter, `${what}: the caller's arguments after the call`).to.deep.equal(args);
  },
});

defineTest({
  id: "stubs/rpcstub-dispose",
  title: "a stub made by new RpcStub rejects once disposed, its dups keep working, and the value's disposer runs once all are gone",
  requirements: ["STUB-RPCSTUB-DISPOSE"],
  arbitrary: fc.record({
    kind: fc.constantFrom("object", "function", "rpctarget"),
    method: memberName.filter((n) => n !== "name" && n !== "length"),
    dups: fc.nat(2),
    value: jsonLikeValue,
  }),
  scenario({ kind, method, dups, value }) {
    const result = valueExpr(value);
    const made =
      kind === "object"
        ? `{ [${lit(method)}]() { return ${result}; }, [Symbol.dispose]() { disposed++; } }`
        : kind === "function"
          ? `Object.assign(() => ${result}, { [Symbol.dispose]() { disposed++; } })`
          : `new (class extends RpcTarget { [${lit(method)}]() { return ${result}; } [Symbol.dispose]() { disposed++; } })()`;
    const call = (s: string) => (kind === "function" ? `${s}()` : `${s}[${lit(method)}]()`);
    const body = `
      let disposed = 0;
      const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
      const s = new RpcStub(${made});
      const before = await observe(() => ${call("s")});
      const dups = Array.from({ length: ${dups} }, () => s.dup());
      s[Symbol.dispose]();
      await settle();
      const afterFirst = disposed;
      const disposedUse = await observe(() => ${call("s")});
      const dupUses = [];
      for (const d of dups) dupUses.push(await observe(() => ${call("d")}));
      for (const d of dups) d[Symbol.dispose]();
      await settle();
      return respond({ before, afterFirst, disposedUse, dupUses, afterAll: disposed });`;
    return { workers: [rpcProbe("probe", `import { RpcStub } from "cloudflare:workers";`, body, [])], probe: "probe" };
  },
  check({ kind, dups, value }, observed) {
    const o = ran(observed) as { before: unknown; afterFirst: number; disposedUse: unknown; dupUses: unknown[]; afterAll: number };
    const what = `a stub of a ${kind} made by new RpcStub, with ${dups} dup(s)`;
    expect(expectValue(o.before, `${what}: a call before disposal`), "its result").to.deep.equal(value);
    expect(o.afterFirst, `${what}: disposer runs after the stub itself is disposed`).to.equal(dups === 0 ? 1 : 0);
    expectRpcError(o.disposedUse, `${what}: a call through the disposed stub`, "Error", DISPOSED_STUB_MESSAGE);
    o.dupUses.forEach((use, i) => expect(expectValue(use, `${what}: a call through dup ${i + 1}`), "its result").to.deep.equal(value));
    expect(o.afterAll, `${what}: disposer runs once every handle is disposed`).to.equal(1);
  },
});

/** What `new RpcStub(...)` must refuse: non-objects, and objects that are not plain, functions or RpcTargets. */
const unwrappable = fc.oneof(
  fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean(), fc.bigInt(), fc.constant(null), fc.constant(undefined)).map((v) => ({ source: valueExpr(v), object: false })),
  fc.constantFrom('Symbol("s")', "").map((source) => ({ source, object: false })),
  fc.oneof(
    fc.array(jsonLikeValue, { maxLength: 3 }).map((a) => valueExpr(a)),
    fc.integer({ min: 0, max: 2 ** 40 }).map((t) => `new Date(${t})`),
    fc.array(fc.tuple(jsonLikeValue, jsonLikeValue), { maxLength: 2 }).map((e) => `new Map(${valueExpr(e)})`),
    fc.array(jsonLikeValue, { maxLength: 2 }).map((a) => `new Set(${valueExpr(a)})`),
    errorMessage.map((m) => `new Error(${lit(m)})`),
    fc.constantFrom("/x+/g", "Promise.resolve(1)", "Object.create(null)"),
    fc.tuple(className, memberName).map(([name, field]) => `new (class ${name} { constructor() { this[${lit(field)}] = () => 1; } })()`),
  ).map((source) => ({ source, object: true })),
);

defineTest({
  id: "stubs/rpcstub-refused",
  title: "new RpcStub(x) throws TypeError at once for a primitive, an array, a Date, a Map, a class instance…",
  requirements: ["STUB-RPCSTUB-REFUSED"],
  arbitrary: unwrappable,
  scenario({ source }) {
    const body = `
      let outcome;
      try { const s = new RpcStub(${source}); outcome = { made: typeof s }; } catch (error) { outcome = { threw: error }; }
      return respond(outcome);`;
    return { workers: [rpcProbe("probe", `import { RpcStub } from "cloudflare:workers";`, body, [])], probe: "probe" };
  },
  check({ source, object }, observed) {
    const o = ran(observed) as { made?: string; threw?: Error };
    if (o.threw === undefined) throw new Error(`new RpcStub(${source}): expected it to throw, but it made a ${o.made}`);
    expect(o.threw, `new RpcStub(${source}): what it threw`).to.be.instanceOf(TypeError);
    if (object) expect(o.threw.message, `new RpcStub(${source}): the message`).to.equal("RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.");
  },
});

defineTest({
  id: "stubs/reserved-dup",
  title: "past a stub or on a call's result, dup is reserved (the target's dup never runs); alarm and webSocket* are ordinary methods",
  requirements: ["STUB-RESERVED-DUP"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 3, 3),
    entrypointOnly: fc.constantFrom("alarm", "webSocketMessage", "webSocketClose", "webSocketError"),
    holder: fc.constantFrom("rpctarget", "plain"),
    definesDup: fc.boolean(),
    how: fc.constantFrom("pipelined-call", "pipelined-read", "inner-call"),
    value: jsonLikeValue,
    args: fc.array(jsonLikeValue, { maxLength: 2 }),
  }),
  scenario({ cls, names: [make, inner, runs], entrypointOnly, holder, definesDup, how, value, args }) {
    const members = [`[${lit(entrypointOnly)}](...args) { return { value: ${valueExpr(value)}, args }; }`];
    if (definesDup) members.push(`dup() { dupRuns++; return "the target's dup"; }`);
    const made = holder === "plain" ? `{ ${members.join(", ")}, [${lit(inner!)}]: { ${members.join(", ")} } }` : "new Target()";
    const callee = `let dupRuns = 0;
class Target extends RpcTarget {
  ${members.join("\n  ")}
  get [${lit(inner!)}]() { return new Target(); }
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return ${made}; }
  [${lit(runs!)}]() { return dupRuns; }
}`;
    const start = `env.S[${lit(make!)}]()`;
    const dupUse =
      how === "pipelined-call" ? `${start}.dup()` : how === "pipelined-read" ? `${start}.dup` : `${holder === "plain" ? start : "(await t)"}[${lit(inner!)}].dup()`;
    const body = `
      const t = ${start};
      const dup = await observe(async () => ${dupUse});
      const other = await observe(() => ${start}[${lit(entrypointOnly)}](...${valueExpr(args)}));
      const stubOther = await observe(async () => ${holder === "plain" ? `${start}[${lit(inner!)}]` : `(await t)[${lit(inner!)}]`}[${lit(entrypointOnly)}](...${valueExpr(args)}));
      return respond({ dup, remote: dup.ok ? undefined : dup.error?.remote, other, stubOther, dupRuns: await env.S[${lit(runs!)}]() });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ holder, how, value, args, entrypointOnly }, observed) {
    const o = ran(observed) as { dup: unknown; remote: unknown; other: unknown; stubOther: unknown; dupRuns: number };
    const what = `dup (${how}) on a ${holder === "plain" ? "plain object" : "RpcTarget"}`;
    expectRpcError(o.dup, what, "TypeError", "'dup' is a reserved method and cannot be called over RPC.");
    expect(o.remote, `${what}: error.remote`).to.equal(true);
    expect(o.dupRuns, `${what}: times the target's own dup ran`).to.equal(0);
    expect(expectValue(o.other, `${entrypointOnly}() on the call's result`), "its result").to.deep.equal({ value, args });
    expect(expectValue(o.stubOther, `${entrypointOnly}() further along the path`), "its result").to.deep.equal({ value, args });
  },
});

/** Where the throwing target sits, and how the call reaches it. */
const throwingTarget = fc.constantFrom("rpctarget-method", "rpctarget-async", "pipelined", "returned-function", "callback-caught", "callback-uncaught");

defineTest({
  id: "stubs/target-errors",
  title: "an error thrown by an RpcTarget's method, a returned function or a callback rejects the call through the stub with its class and message, remote",
  requirements: ["STUB-TARGET-ERRORS"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 3, 3),
    errorClass: fc.constantFrom("Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"),
    message: errorMessage,
    where: throwingTarget,
  }),
  scenario({ cls, names: [make, method, call], errorClass, message, where }) {
    const error = `new ${errorClass}(${lit(message)})`;
    const callee = `class Target extends RpcTarget {
  [${lit(method!)}]() { throw ${error}; }
  async ["async " + ${lit(method!)}]() { await null; throw ${error}; }
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return new Target(); }
  [${lit(method!)}]() { return () => { throw ${error}; }; }
  async [${lit(call!)}](cb, caught) {
    if (!caught) return await cb();
    try { await cb(); return { caught: false }; } catch (e) { return { caught: true, cls: e.constructor.name, name: e.name, message: e.message, remote: e.remote }; }
  }
}`;
    const use: Record<string, string> = {
      "rpctarget-method": `(await env.S[${lit(make!)}]())[${lit(method!)}]()`,
      "rpctarget-async": `(await env.S[${lit(make!)}]())["async " + ${lit(method!)}]()`,
      pipelined: `env.S[${lit(make!)}]()[${lit(method!)}]()`,
      "returned-function": `(await env.S[${lit(method!)}]())()`,
      "callback-caught": `env.S[${lit(call!)}](() => { throw ${error}; }, true)`,
      "callback-uncaught": `env.S[${lit(call!)}](() => { throw ${error}; }, false)`,
    };
    const body = `const result = await observe(async () => ${use[where]});
      return respond({ result, remote: result.ok ? undefined : result.error?.remote });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ errorClass, message, where }, observed) {
    const o = ran(observed) as { result: unknown; remote: unknown };
    if (where === "callback-caught") {
      const seen = expectValue(o.result, "a callee catching its callback's error");
      expect(seen, "the error the callee caught").to.deep.equal({ caught: true, cls: errorClass, name: errorClass, message, remote: true });
      return;
    }
    expectRpcError(o.result, `an error thrown by the target (${where})`, errorClass, message);
    expect(o.remote, `an error thrown by the target (${where}): error.remote`).to.equal(true);
  },
});

defineTest({
  id: "stubs/nested",
  title: "functions and RpcTargets nested in objects and arrays cross as stubs; the rest is copied",
  requirements: ["STUB-NESTED"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 3, 3),
    data: jsonLikeContainer,
    key: memberName,
    inArray: fc.boolean(),
    depth: fc.integer({ min: 1, max: 3 }),
  }),
  scenario({ cls, names: [make, use, inc], data, key, inArray, depth }) {
    // The stubs sit at `holder.<key>...` (or in an array) `depth` levels down, beside the data.
    const wrap = (inner: string) => {
      let expr = inner;
      for (let i = 0; i < depth; i++) expr = inArray ? `[${expr}]` : `{ ${lit(key)}: ${expr} }`;
      return expr;
    };
    const reach = (root: string) => root + (inArray ? "[0]" : `[${lit(key)}]`).repeat(depth);
    const pack = `({ data: ${valueExpr(data)}, stubs: ${wrap("{ fn: (x) => ({ fn: x }), target: new Counter() }")} })`;
    const counter = `class Counter extends RpcTarget { #n = 0; [${lit(inc!)}]() { return ++this.#n; } }`;
    const callee = `${counter}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return ${pack}; }
  async [${lit(use!)}](received) {
    const s = ${reach("received.stubs")};
    return { data: received.data, fn: await s.fn("arg"), inc: [await s.target[${lit(inc!)}](), await s.target[${lit(inc!)}]()] };
  }
}`;
    const body = `
      const got = await env.S[${lit(make!)}]();
      const s = ${reach("got.stubs")};
      const returned = await observe(async () => ({ data: got.data, fn: await s.fn("arg"), inc: [await s.target[${lit(inc!)}](), await s.target[${lit(inc!)}]()] }));
      const passed = await observe(() => env.S[${lit(use!)}](${pack}));
      return respond({ returned, passed });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", counter, body, bindS(cls))], probe: "probe" };
  },
  check({ data }, observed) {
    const o = ran(observed) as { returned: unknown; passed: unknown };
    for (const [what, result] of [["in a result", o.returned], ["in the arguments", o.passed]] as const) {
      const r = expectValue(result, `stubs nested ${what}`) as { data: unknown; fn: unknown; inc: number[] };
      expect(r.data, `${what}: the data beside the stubs is copied`).to.deep.equal(data);
      expect(r.fn, `${what}: the nested function's stub`).to.deep.equal({ fn: "arg" });
      expect(r.inc, `${what}: the nested RpcTarget's stub keeps its state`).to.deep.equal([1, 2]);
    }
  },
});

defineTest({
  id: "stubs/forward",
  title: "a stub received from one worker can be passed on to another and still reaches the original",
  requirements: ["STUB-FORWARD"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 4, 4), calls: fc.integer({ min: 1, max: 4 }), inResult: fc.boolean() }),
  scenario({ cls, names: [make, inc, total, use], calls, inResult }) {
    const callee = `let total = 0;
class Counter extends RpcTarget { [${lit(inc!)}]() { return ++total; } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return new Counter(); }
  [${lit(total!)}]() { return total; }
}`;
    // The third worker gets the stub as an argument, and (inResult) hands it back inside its result.
    const third = `export class Third extends WorkerEntrypoint {
  async [${lit(use!)}](stub) {
    const seen = [];
    for (let i = 0; i < ${calls}; i++) seen.push(await stub[${lit(inc!)}]());
    return ${inResult ? "{ seen, back: stub.dup() }" : "{ seen }"};
  }
}`;
    const body = `
      const stub = await env.S[${lit(make!)}]();
      const third = await observe(async () => {
        const r = await env.T[${lit(use!)}](stub);
        return { seen: r.seen, back: r.back ? await r.back[${lit(inc!)}]() : null };
      });
      const total = await env.S[${lit(total!)}]();
      return respond({ third, total });`;
    return {
      workers: [
        rpcCallee("callee", callee),
        rpcCallee("third", third),
        rpcProbe("probe", "", body, [...bindS(cls), { binding: "T", service: "third", entrypoint: "Third" }]),
      ],
      probe: "probe",
    };
  },
  check({ calls, inResult }, observed) {
    const o = ran(observed) as { third: unknown; total: number };
    const r = expectValue(o.third, "passing the stub on to a third worker") as { seen: number[]; back: number | null };
    expect(r.seen, "what the third worker's calls through the stub returned").to.deep.equal(Array.from({ length: calls }, (_, i) => i + 1));
    if (inResult) expect(r.back, "a call through the stub handed back in the third worker's result").to.equal(calls + 1);
    expect(o.total, "calls the original object received").to.equal(calls + (inResult ? 1 : 0));
  },
});

defineTest({
  id: "stubs/lifecycle-model",
  title: "model-based: calls, pipelined calls, dup, dispose and passing stubs as arguments, in any order",
  requirements: ["STUB-DISPOSE", "STUB-DUP", "STUB-PARAM-OWNERSHIP"],
  numRuns: 30,
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 4, 4), program: lifecycleProgram }),
  scenario({ cls, names: [make, inc, self, use], program }) {
    const callee = `class Counter extends RpcTarget {
  #count = 0;
  [${lit(inc!)}]() { return ++this.#count; }
  [${lit(self!)}]() { return this; }
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return new Counter(); }
  async [${lit(use!)}](stub) { return await stub[${lit(inc!)}](); }
}`;
    const body = `
      const first = await env.S[${lit(make!)}]();
      const steps = ${JSON.stringify(programSteps(program))};
      return respond(await runSteps(steps, first, (stub) => env.S[${lit(use!)}](stub), ${lit(inc!)}, ${lit(self!)}));`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", STUB_INTERPRETER, body, bindS(cls))], probe: "probe" };
  },
  check({ program }, observed, profile) {
    // STUB-PARAM-OWNERSHIP: `2024-04-03` transfers a stub sent as an argument; `current` (rpc_params_dup_stubs) does not.
    replayLifecycle(program, ran(observed) as unknown[], profile.name === "2024-04-03");
  },
});

defineTest({
  id: "stubs/result-dispose",
  title: "disposing a returned object disposes every stub inside it; its data stays",
  requirements: ["STUB-RESULT-DISPOSE"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 3, 3), data: jsonLikeValue, inArray: fc.boolean() }),
  scenario({ cls, names: [make, inc, key], data, inArray }) {
    const callee = `class Counter extends RpcTarget { #n = 0; [${lit(inc!)}]() { return ++this.#n; } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() {
    const stubs = { fn: () => "fn", target: new Counter() };
    return { data: ${valueExpr(data)}, [${lit(key!)}]: ${inArray ? "[stubs]" : "stubs"} };
  }
}`;
    const reach = `result[${lit(key!)}]${inArray ? "[0]" : ""}`;
    const body = `
      const result = await env.S[${lit(make!)}]();
      const s = ${reach};
      const before = [await observe(() => s.fn()), await observe(() => s.target[${lit(inc!)}]())];
      const hasDispose = typeof result[Symbol.dispose];
      result[Symbol.dispose]();
      const after = [await observe(() => s.fn()), await observe(() => s.target[${lit(inc!)}]())];
      return respond({ before, hasDispose, after, data: result.data });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ data }, observed) {
    const o = ran(observed) as { before: unknown[]; hasDispose: string; after: unknown[]; data: unknown };
    expect(expectValue(o.before[0], "the function stub before disposal"), "its result").to.equal("fn");
    expect(expectValue(o.before[1], "the RpcTarget stub before disposal"), "its result").to.equal(1);
    expect(o.hasDispose, "typeof result[Symbol.dispose]").to.equal("function");
    expectRpcError(o.after[0], "the function stub after disposing the result", "Error", DISPOSED_STUB_MESSAGE);
    expectRpcError(o.after[1], "the RpcTarget stub after disposing the result", "Error", DISPOSED_STUB_MESSAGE);
    expect(o.data, "the result's data after disposal").to.deep.equal(data);
  },
});

/** Source of `ownSymbols(v)`: every own symbol-keyed property of `v`, with its descriptor. */
const OWN_SYMBOLS = `function ownSymbols(v) {
  return Object.getOwnPropertySymbols(v).map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    const value = "value" in d ? { type: typeof d.value, name: d.value?.name, length: d.value?.length } : { accessor: true };
    // Node 20's Symbol.dispose is described "nodejs.dispose": the symbol is named by identity (spec/incidental.md).
    return { key: k === Symbol.dispose ? "Symbol.dispose" : String(k), enumerable: d.enumerable, configurable: d.configurable, writable: d.writable, ...value };
  });
}`;

/** The result kinds of stubs/result-shape, as callee-side expressions over `data` (and `fn`, a function). */
const RESULT_KINDS = {
  object: (stub: boolean) => `({ inner: { data }, [Symbol("member")]: data${stub ? ", fn" : ""} })`,
  array: (stub: boolean) => `[{ data }${stub ? ", fn" : ""}]`,
  map: (stub: boolean) => `new Map([["data", data]${stub ? `, ["fn", fn]` : ""}])`,
  date: () => `new Date(0)`,
  error: () => `new RangeError("result")`,
  typedArray: () => `new Uint8Array([1, 2, 3])`,
} as const;

defineTest({
  id: "stubs/result-shape",
  title: "every object a call resolves to has exactly one own symbol key, a non-enumerable Symbol.dispose that is safe to call twice; nested objects and arguments have none",
  requirements: ["STUB-RESULT-DISPOSE"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 2, 2),
    kind: fc.constantFrom(...(Object.keys(RESULT_KINDS) as (keyof typeof RESULT_KINDS)[])),
    withStub: fc.boolean(),
    data: jsonLikeValue,
  }),
  scenario({ cls, names: [make, look], kind, withStub, data }) {
    const callee = `${OWN_SYMBOLS}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { const data = ${valueExpr(data)}; const fn = () => "fn"; return ${RESULT_KINDS[kind](withStub)}; }
  [${lit(look!)}](arg) { return { arg: ownSymbols(arg), inner: ownSymbols(arg.inner) }; }
}`;
    const nested = kind === "object" ? "ownSymbols(r.inner)" : kind === "array" ? "ownSymbols(r[0])" : "null";
    const body = `
      const r = await env.S[${lit(make!)}]();
      const top = ownSymbols(r);
      const nested = ${nested};
      let twice = "no throw";
      try { r[Symbol.dispose](); r[Symbol.dispose](); } catch (e) { twice = String(e); }
      const received = await env.S[${lit(look!)}]({ inner: { data: ${valueExpr(data)} } });
      return respond({ top, nested, twice, received: { arg: received.arg, inner: received.inner } });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", OWN_SYMBOLS, body, bindS(cls))], probe: "probe" };
  },
  check({ kind }, observed) {
    const o = ran(observed);
    const dispose = { key: "Symbol.dispose", enumerable: false, configurable: true, writable: true, type: "function", name: "", length: 0 };
    expect(o, `the own symbol keys of a ${kind} result, of what it holds, and of a callee's argument`).to.deep.equal({
      top: [dispose],
      nested: kind === "object" || kind === "array" ? [] : null,
      twice: "no throw",
      received: { arg: [], inner: [] },
    });
  },
});

defineTest({
  id: "stubs/echo",
  title: "a function or RpcTarget the callee returns from its parameters arrives as a live stub to the caller's own target; disposing the result disposes it, locally",
  requirements: ["STUB-ECHO", "STUB-RESULT-DISPOSE"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 2, 2),
    kind: fc.constantFrom("function", "rpctarget"),
    placement: fc.constantFrom("top", "object", "array"),
    arg: jsonLikeValue,
  }),
  scenario({ cls, names: [echo, method], kind, placement, arg }) {
    const callee = `export class ${cls} extends WorkerEntrypoint {
  [${lit(echo!)}](x) { return x; }
}`;
    const prelude = `let calls = 0;
class Local extends RpcTarget { [${lit(method!)}](x) { calls++; return { local: x }; } }`;
    const target = kind === "function" ? `(x) => { calls++; return { local: x }; }` : `new Local()`;
    const sent = placement === "top" ? "t" : placement === "object" ? "{ k: t }" : "[t]";
    const reach = placement === "top" ? "back" : placement === "object" ? "back.k" : "back[0]";
    const use = kind === "function" ? `stub(${valueExpr(arg)})` : `stub[${lit(method!)}](${valueExpr(arg)})`;
    const body = `
      const t = ${target};
      const back = await env.S[${lit(echo!)}](${sent});
      const stub = ${reach};
      const type = typeof stub;
      const call = await observe(() => ${use});
      back[Symbol.dispose]();
      const after = await observe(() => ${use});
      return respond({ type, call, calls, after });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ kind, placement, arg }, observed) {
    const o = ran(observed) as { type: string; call: unknown; calls: number; after: { ok: boolean; error?: unknown } };
    const what = `a ${kind} echoed back (${placement})`;
    expect({ ...o, after: o.after.ok ? o.after : { ok: false, error: observedEncoding(o.after.error) } }, what).to.deep.equal({
      type: "function",
      call: { ok: true, value: { local: arg } },
      calls: 1,
      after: { ok: false, error: observedEncoding(new Error(DISPOSED_STUB_MESSAGE)) },
    });
  },
});

/** Source of `surface(x, name, index)`: what a caller can ask a stub, thenable or binding without calling it. */
const SURFACE = `function surface(x, name, index) {
  const g = (f) => { try { return f(); } catch (e) { return "throws " + e.name; } };
  return {
    typeof: typeof x,
    ownKeys: g(() => Reflect.ownKeys(x).map(String)),
    keys: g(() => Object.keys(x)),
    instanceofFunction: g(() => x instanceof Function),
    instanceofObject: g(() => x instanceof Object),
    instanceofRpcStub: g(() => x instanceof RpcStub),
    in: { name: g(() => name in x), index: g(() => index in x), then: g(() => "then" in x), toString: g(() => "toString" in x), dispose: g(() => Symbol.dispose in x) },
    typeofMember: { name: g(() => typeof x[name]), index: g(() => typeof x[index]), then: g(() => typeof x.then), dup: g(() => typeof x.dup), dispose: g(() => typeof x[Symbol.dispose]) },
  };
}`;

/** What STUB-SURFACE requires of each kind of handle. */
function expectedSurface(kind: "rpctarget" | "function" | "thenable" | "property" | "binding"): unknown {
  const stub = kind === "rpctarget" || kind === "function";
  const thenable = kind === "thenable" || kind === "property";
  return {
    typeof: kind === "binding" ? "object" : "function",
    ownKeys: [],
    keys: [],
    instanceofFunction: false,
    instanceofObject: true,
    instanceofRpcStub: stub,
    in: { name: true, index: false, then: thenable, toString: true, dispose: kind !== "property" && kind !== "binding" },
    typeofMember: {
      name: "function",
      index: "undefined",
      then: thenable ? "function" : "undefined",
      dup: "function",
      dispose: kind === "property" || kind === "binding" ? "undefined" : "function",
    },
  };
}

defineTest({
  id: "stubs/surface",
  title: "stubs, call thenables, property handles and bindings: callable (bindings excepted), no own keys, not Functions, `in` true exactly for what reads as something, array-index names undefined",
  requirements: ["STUB-SURFACE"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName.filter((n) => !["then", "catch", "finally", "dup", "fetch", "connect"].includes(n)), 2, 2),
    kind: fc.constantFrom("rpctarget", "function", "thenable", "property", "binding"),
    index: fc.oneof(fc.nat({ max: 100 }), fc.constant(4294967294)).map(String),
  }),
  scenario({ cls, names: [make, name], kind, index }) {
    const callee = `class Target extends RpcTarget { [${lit(name!)}]() { return 1; } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}](kind) { return kind === "rpctarget" ? new Target() : kind === "function" ? () => 1 : { value: 1 }; }
}`;
    const prelude = `import { RpcStub } from "cloudflare:workers";\n${SURFACE}`;
    const get =
      kind === "binding"
        ? `env.S`
        : kind === "property"
          ? `env.S[${lit(name!)}]`
          : kind === "thenable"
            ? `env.S[${lit(make!)}](${lit(kind)})`
            : `await env.S[${lit(make!)}](${lit(kind)})`;
    const body = `
      const x = ${get};
      const seen = surface(x, ${lit(name!)}, ${lit(index)});
      ${kind === "thenable" ? "await x;" : ""}
      return respond(seen);`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ kind }, observed) {
    expect(ran(observed), `what the caller sees of a ${kind}`).to.deep.equal(expectedSurface(kind));
  },
});

/** What the caller sees of a handle's class, constructor and JSON text (STUB-SURFACE, second paragraph). */
const SURFACE_CLASS = `function classSurface(x) {
  const g = (f) => { try { return f(); } catch (e) { return { threw: e instanceof TypeError ? "TypeError" : String(e), message: e.message }; } };
  let depth = 0;
  for (let p = Object.getPrototypeOf(x); p !== null; p = Object.getPrototypeOf(p)) depth++;
  const proto = Object.getPrototypeOf(x);
  const C = x.constructor;
  const newC = g(() => { new C(); return "constructed"; });
  const callC = g(() => { C(); return "called"; });
  return {
    depth,
    ownPrototype: proto !== Object.prototype && Object.getPrototypeOf(proto) === Object.prototype,
    constructor: { typeof: typeof C, isObject: C === Object, isRpcStub: C === RpcStub, prototypeIsProto: C.prototype === proto, instanceofFunction: C instanceof Function, instanceOfIt: x instanceof C },
    newConstructor: typeof newC === "object" ? newC.threw : newC,
    newConstructorMessage: typeof newC === "object" ? newC.message : undefined,
    callConstructor: typeof callC === "object" ? callC.threw : callC,
    json: g(() => JSON.stringify(x)),
    jsonNested: g(() => JSON.stringify({ a: x })),
    thenNames: typeof x.then === "function" ? [x.then.name, x.catch.name, x.finally.name, x.then === proto.then] : null,
  };
}`;

defineTest({
  id: "stubs/surface-classes",
  title: "bindings, call thenables, property handles and stubs are instances of a class of their own (constructor not constructible, a stub's is RpcStub); JSON.stringify gives {} for a binding, undefined for the others, and never calls a remote toJSON; then/catch/finally are named",
  requirements: ["STUB-SURFACE"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName.filter((n) => !["then", "catch", "finally", "dup", "fetch", "connect", "toJSON"].includes(n)), 2, 2),
    kind: fc.constantFrom("rpctarget", "function", "thenable", "property", "binding"),
  }),
  scenario({ cls, names: [make, name], kind }) {
    const callee = `let toJSONCalls = 0;
class Target extends RpcTarget { [${lit(name!)}]() { return 1; } toJSON() { toJSONCalls++; return "target"; } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}](kind) { return kind === "rpctarget" ? new Target() : kind === "function" ? Object.assign(() => 1, { toJSON() { toJSONCalls++; return "fn"; } }) : { value: 1 }; }
  get [${lit(name!)}]() { return { toJSON() { toJSONCalls++; return "prop"; } }; }
  toJSON() { toJSONCalls++; return "entrypoint"; }
  toJSONCalls() { return toJSONCalls; }
}`;
    const prelude = `import { RpcStub } from "cloudflare:workers";\n${SURFACE_CLASS}`;
    const get =
      kind === "binding"
        ? `env.S`
        : kind === "property"
          ? `env.S[${lit(name!)}]`
          : kind === "thenable"
            ? `env.S[${lit(make!)}]("rpctarget")`
            : `await env.S[${lit(make!)}](${lit(kind)})`;
    const body = `
      const x = ${get};
      const seen = classSurface(x);
      ${kind === "thenable" ? "await x;" : ""}
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.toJSONCalls = await env.S.toJSONCalls();
      return respond(seen);`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ kind }, observed) {
    const stub = kind === "rpctarget" || kind === "function";
    const thenable = kind === "thenable" || kind === "property";
    expect(ran(observed), `the class, constructor and JSON text of a ${kind}`).to.deep.equal({
      depth: 2,
      ownPrototype: true,
      constructor: { typeof: "function", isObject: false, isRpcStub: stub, prototypeIsProto: true, instanceofFunction: true, instanceOfIt: true },
      newConstructor: "TypeError",
      newConstructorMessage: stub ? "Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'Object'." : "Illegal constructor",
      callConstructor: "TypeError",
      json: kind === "binding" ? "{}" : undefined,
      jsonNested: kind === "binding" ? '{"a":{}}' : "{}",
      thenNames: thenable ? ["then", "catch", "finally", true] : null,
      toJSONCalls: 0,
    });
  },
});

defineTest({
  id: "stubs/rpctarget-disposer",
  title: "an RpcTarget's [Symbol.dispose] runs once, after its last stub is disposed, not before",
  requirements: ["STUB-RPCTARGET-DISPOSER", "STUB-DUP"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 2, 2), dups: fc.integer({ min: 0, max: 3 }) }),
  scenario({ cls, names: [use, ping], dups }) {
    // The callee holds the parameter's stub and \`dups\` duplicates, disposes them one by one and,
    // after each, asks the target (in the probe) through the next one whether its disposer has run.
    const callee = `export class ${cls} extends WorkerEntrypoint {
  async [${lit(use!)}](target) {
    const stubs = [target];
    for (let i = 0; i < ${dups}; i++) stubs.push(target.dup());
    const seen = [];
    for (let i = 0; i < stubs.length - 1; i++) {
      stubs[i][Symbol.dispose]();
      seen.push(await stubs[i + 1][${lit(ping!)}]());
    }
    stubs[stubs.length - 1][Symbol.dispose]();
    return { seen };
  }
}`;
    const prelude = `let disposed = 0;
class Target extends RpcTarget {
  [${lit(ping!)}]() { return disposed; }
  [Symbol.dispose]() { disposed++; }
}`;
    const body = `
      const call = await observe(() => env.S[${lit(use!)}](new Target()));
      const afterCall = disposed;
      for (let i = 0; i < 100 && disposed === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ call, afterCall, disposed });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ dups }, observed) {
    const o = ran(observed) as { call: unknown; afterCall: number; disposed: number };
    const r = expectValue(o.call, "the call holding the target's stub and its duplicates") as { seen: number[] };
    expect(r.seen, "disposer runs the target had seen while a duplicate was still held").to.deep.equal(Array.from({ length: dups }, () => 0));
    expect(o.disposed, "disposer runs once every stub was disposed").to.equal(1);
  },
});

defineTest({
  id: "stubs/params-released",
  title: "stubs a callee kept from its parameters are disposed when its call returns",
  requirements: ["STUB-PARAMS-RELEASED"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 3, 3), arg: fc.integer({ min: -1000, max: 1000 }), nowToo: fc.boolean() }),
  scenario({ cls, names: [keep, useKept, method], arg, nowToo }) {
    const callee = `let kept = null, keptFn = null;
export class ${cls} extends WorkerEntrypoint {
  async [${lit(keep!)}](target, fn, x) {
    kept = target; keptFn = fn;
    return ${nowToo ? `[await target[${lit(method!)}](x), await fn(x)]` : `null`};
  }
  async [${lit(useKept!)}](x) {
    const out = {};
    try { out.target = { ok: await kept[${lit(method!)}](x) }; } catch (e) { out.target = { error: [e.name, e.message] }; }
    try { out.fn = { ok: await keptFn(x) }; } catch (e) { out.fn = { error: [e.name, e.message] }; }
    return out;
  }
}`;
    const prelude = `class Target extends RpcTarget {
  [${lit(method!)}](x) { return { target: x }; }
}`;
    const body = `
      const during = await observe(() => env.S[${lit(keep!)}](new Target(), (x) => ({ fn: x }), ${arg}));
      const later = await observe(() => env.S[${lit(useKept!)}](${arg}));
      return respond({ during, later });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ arg, nowToo }, observed) {
    const o = ran(observed) as { during: unknown; later: unknown };
    expect(expectValue(o.during, "the call that kept its parameters"), "uses during the call").to.deep.equal(nowToo ? [{ target: arg }, { fn: arg }] : null);
    const later = expectValue(o.later, "a later call using the kept stubs") as Record<string, unknown>;
    const disposed = { error: ["Error", DISPOSED_STUB_MESSAGE] };
    expect(later.target, "the kept RpcTarget stub, used from a later call").to.deep.equal(disposed);
    expect(later.fn, "the kept function stub, used from a later call").to.deep.equal(disposed);
  },
});

defineTest({
  id: "stubs/same-target",
  title: "one target sent several times in one call is one stub there; its disposer runs once per call",
  requirements: ["STUB-SAME-TARGET"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 3, 3),
    // For each call, how many times the target appears in its arguments, and whether nested.
    calls: fc.array(fc.record({ times: fc.integer({ min: 1, max: 3 }), nested: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  }),
  scenario({ cls, names: [use, inc, wrap], calls }) {
    const callee = `export class ${cls} extends WorkerEntrypoint {
  async [${lit(use!)}](...args) {
    const stubs = args.map((a) => (a !== null && typeof a === "object" && !(a instanceof RpcTarget) && ${lit(wrap!)} in a ? a[${lit(wrap!)}] : a));
    const same = stubs.every((s) => s === stubs[0]);
    const counts = [];
    for (const s of stubs) counts.push(await s[${lit(inc!)}]());
    let afterDispose = null;
    if (stubs.length > 1) {
      stubs[0][Symbol.dispose]();
      try { await stubs[stubs.length - 1][${lit(inc!)}](); afterDispose = "resolved"; } catch (e) { afterDispose = [e.name, e.message]; }
    }
    return { same, counts, afterDispose };
  }
}`;
    const prelude = `let disposed = 0, count = 0;
class Target extends RpcTarget {
  [${lit(inc!)}]() { return ++count; }
  [Symbol.dispose]() { disposed++; }
}`;
    const body = `
      const target = new Target();
      const results = [];
      for (const c of ${JSON.stringify(calls)}) {
        const args = Array.from({ length: c.times }, (_, i) => (c.nested && i % 2 === 1 ? { [${lit(wrap!)}]: target } : target));
        results.push(await observe(() => env.S[${lit(use!)}](...args)));
      }
      for (let i = 0; i < 100 && disposed < ${calls.length}; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ results, disposed });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ calls }, observed) {
    const o = ran(observed) as { results: unknown[]; disposed: number };
    let count = 0;
    o.results.forEach((r, i) => {
      const { times } = calls[i]!;
      const got = expectValue(r, `call ${i + 1}, sending the target ${times} time(s)`) as { same: boolean; counts: number[]; afterDispose: unknown };
      expect(got.same, `call ${i + 1}: the callee's arguments are one stub`).to.equal(true);
      expect(got.counts, `call ${i + 1}: calls through each place reach the one target`).to.deep.equal(Array.from({ length: times }, () => ++count));
      expect(got.afterDispose, `call ${i + 1}: use at the last place after disposing the first`).to.deep.equal(times > 1 ? ["Error", DISPOSED_STUB_MESSAGE] : null);
    });
    expect(o.disposed, "disposer runs: one per call that sent the target").to.equal(calls.length);
  },
});

defineTest({
  id: "stubs/async-dispose-ignored",
  title: "an RpcTarget's [Symbol.asyncDispose] is never called when its stubs are disposed",
  requirements: ["STUB-ASYNC-DISPOSE-IGNORED"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 2, 2), calls: fc.integer({ min: 1, max: 3 }), alsoDispose: fc.boolean() }),
  scenario({ cls, names: [use, ping], calls, alsoDispose }) {
    const callee = `export class ${cls} extends WorkerEntrypoint {
  async [${lit(use!)}](target) { return await target[${lit(ping!)}](); }
}`;
    // A second target with a [Symbol.dispose] tells the probe when the disposers have had their chance.
    const prelude = `let asyncDisposed = 0, disposed = 0;
class Async extends RpcTarget {
  [${lit(ping!)}]() { return "pong"; }
  async [Symbol.asyncDispose]() { asyncDisposed++; }
  ${alsoDispose ? "[Symbol.dispose]() { disposed++; }" : ""}
}
class Sync extends RpcTarget {
  [${lit(ping!)}]() { return "pong"; }
  [Symbol.dispose]() { disposed++; }
}`;
    const expected = alsoDispose ? 2 * calls : calls;
    const body = `
      const target = new Async();
      const results = [];
      for (let i = 0; i < ${calls}; i++) {
        results.push(await observe(() => env.S[${lit(use!)}](target)));
        results.push(await observe(() => env.S[${lit(use!)}](new Sync())));
      }
      for (let i = 0; i < 100 && disposed < ${expected}; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ results, asyncDisposed, disposed });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", prelude, body, bindS(cls))], probe: "probe" };
  },
  check({ calls, alsoDispose }, observed) {
    const o = ran(observed) as { results: unknown[]; asyncDisposed: number; disposed: number };
    o.results.forEach((r, i) => expect(expectValue(r, `call ${i + 1}`), `call ${i + 1} reached its target`).to.equal("pong"));
    expect(o.disposed, "[Symbol.dispose] runs (one per call, the Sync targets' and the Async one's if it has one)").to.equal(alsoDispose ? 2 * calls : calls);
    expect(o.asyncDisposed, "[Symbol.asyncDispose] runs").to.equal(0);
  },
});

defineTest({
  id: "stubs/disposed-sent",
  title: "a disposed stub sent as an argument still crosses: a callee that calls it rejects the call with a remote error; one echoed back is a disposed stub; dup() of it throws",
  requirements: ["STUB-DISPOSED-SENT"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 5, 5),
    kind: fc.constantFrom("rpcTarget", "function"),
    nested: fc.boolean(),
    callee: fc.constantFrom("calls", "echoes"),
  }),
  scenario({ cls, names: [make, inc, callIt, echo, key], kind, nested, callee: what }) {
    const callee = `class Counter extends RpcTarget { #n = 0; [${lit(inc!)}](d) { return (this.#n += d); } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return ${kind === "function" ? "(d) => d * 2" : "new Counter()"}; }
  async [${lit(callIt!)}](x) { const s = ${nested ? `x[${lit(key!)}]` : "x"}; return await ${kind === "function" ? "s(1)" : `s[${lit(inc!)}](1)`}; }
  [${lit(echo!)}](x) { return x; }
}`;
    const sent = nested ? `{ [${lit(key!)}]: s }` : "s";
    const reach = nested ? `back[${lit(key!)}]` : "back";
    const use = (stub: string) => (kind === "function" ? `${stub}(1)` : `${stub}[${lit(inc!)}](1)`);
    const body = `
      const s = await env.S[${lit(make!)}]();
      const before = await observe(() => ${use("s")});
      s[Symbol.dispose]();
      let dup;
      try { s.dup(); dup = "returned"; } catch (e) { dup = e instanceof Error ? "threw Error" : "threw"; }
      ${what === "calls"
        ? `const call = await observe(() => env.S[${lit(callIt!)}](${sent}));
      return respond({ before, dup, call, remote: call.ok ? null : call.error?.remote === true });`
        : `const call = await observe(() => env.S[${lit(echo!)}](${sent}));
      if (!call.ok) return respond({ before, dup, call });
      const back = call.value;
      const used = await observe(() => ${use(reach)});
      return respond({ before, dup, call: { ok: true, type: typeof ${reach} }, used, remote: used.ok ? null : used.error?.remote === true });`}`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ callee: what }, observed) {
    const o = ran(observed) as { before: unknown; dup: string; call: unknown; used?: unknown; remote?: boolean | null };
    expectValue(o.before, "a call through the stub before it was disposed");
    expect(o.dup, "dup() on the disposed stub").to.equal("threw Error");
    if (what === "calls") {
      expectRpcError(o.call, "a call passing the disposed stub to a callee that calls it", "Error", DISPOSED_STUB_MESSAGE);
      expect(o.remote, "that rejection is marked remote (it failed in the callee)").to.equal(true);
    } else {
      expect(o.call, "a call passing the disposed stub to a callee that returns it").to.deep.equal({ ok: true, type: "function" });
      expectRpcError(o.used, "a call through the echoed stub", "Error", DISPOSED_STUB_MESSAGE);
      expect(o.remote, "that rejection is local (not marked remote)").to.equal(false);
    }
  },
});

/**
 * Source of `whole(outcome, expectedError)`: an observe() outcome with any error observed whole
 * (harness observeDeep, as JSON text) next to the error the caller itself makes as the expected one.
 */
const WHOLE_SOURCE = `function whole(r, expected) {
  if (r.ok) return { ok: true, value: typeof r.value === "function" ? "<stub>" : r.value };
  return { ok: false, sync: r.sync === true, error: JSON.stringify(observeDeep(r.error)), own: JSON.stringify(observeDeep(expected(r.error))) };
}
const INTERNAL_ERROR = /^internal error; reference = [0-9a-z]+$/;
// The id in workerd's message is random: the caller's own error takes the id the runtime gave.
const internalError = (e) => new Error(e instanceof Error && INTERNAL_ERROR.test(e.message) ? e.message : "internal error; reference = <id>");
const disposedRemote = () => Object.assign(new Error(${lit(DISPOSED_STUB_MESSAGE)}), { remote: true });`;

defineTest({
  id: "stubs/spent-stub-forwarded",
  title: "a stub that is spent (disposed, or transferred by a call under 2024-04-03) and forwarded through a second worker to a callee that calls it rejects with a remote Error; its dup() throws the caller's own Error",
  requirements: ["STUB-DISPOSED-SENT", "STUB-PARAM-OWNERSHIP"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 4, 4),
    kind: fc.constantFrom("rpcTarget", "function"),
    spent: fc.constantFrom("disposed", "sent"),
  }),
  scenario({ cls, names: [make, inc, callIt, relay], kind, spent }) {
    const callee = `class Counter extends RpcTarget { #n = 0; [${lit(inc!)}](d) { return (this.#n += d); } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return ${kind === "function" ? "(d) => d * 2" : "new Counter()"}; }
  async [${lit(callIt!)}](x) { return await ${kind === "function" ? "x(1)" : `x[${lit(inc!)}](1)`}; }
}`;
    const relayWorker = `export class ${cls} extends WorkerEntrypoint {
  [${lit(relay!)}](x) { return this.env.A[${lit(callIt!)}](x); }
}`;
    const body = `
      const s = await env.S[${lit(make!)}]();
      const first = ${spent === "disposed" ? `(s[Symbol.dispose](), null)` : `whole(await observe(() => env.S[${lit(callIt!)}](s)), disposedRemote)`};
      const forwarded = whole(await observe(() => env.R[${lit(relay!)}](s)), disposedRemote);
      const dup = whole(await observe(() => s.dup()), internalError);
      return respond({ first, forwarded, dup });`;
    return {
      workers: [
        rpcCallee("callee", callee),
        rpcCallee("relay", relayWorker, [{ binding: "A", service: "callee", entrypoint: cls }]),
        rpcProbe("probe", WHOLE_SOURCE, body, [...bindS(cls), { binding: "R", service: "relay", entrypoint: cls }]),
      ],
      probe: "probe",
    };
  },
  check({ kind, spent }, observed, profile) {
    const o = ran(observed) as Record<"first" | "forwarded" | "dup", { ok: boolean; value?: unknown; sync?: boolean; error?: string; own?: string } | null>;
    // STUB-PARAM-OWNERSHIP: under rpc_params_dup_stubs (current) a stub sent once is still the caller's.
    const usable = spent === "sent" && profile.name !== "2024-04-03";
    const what = spent === "disposed" ? "a disposed stub" : usable ? "a stub sent once (the caller keeps it)" : "a stub sent once (so transferred)";
    if (spent === "sent") expect(o.first, `${what}: the first call that sent it`).to.deep.equal({ ok: true, value: kind === "function" ? 2 : 1 });
    labelled("forwarded through a second worker", ["STUB-DISPOSED-SENT"], () => {
      if (usable) return expect(o.forwarded, `${what}, forwarded through a second worker to a callee that calls it`).to.deep.equal({ ok: true, value: 2 });
      expect(o.forwarded!.ok, `${what}, forwarded through a second worker to a callee that calls it: settled`).to.equal(false);
      expect(o.forwarded!.sync, `${what}, forwarded: thrown synchronously`).to.equal(false);
      const [error, own] = [o.forwarded!.error!, o.forwarded!.own!].map((json) => normalise(JSON.parse(json)));
      expect(error, `${what}, forwarded: the rejection (deep observation) against the caller's own Error of the disposed-stub message with remote set to true`).to.deep.equal(own);
    });
    labelled("dup() of it", ["STUB-DISPOSED-SENT"], () => {
      if (usable) return expect(o.dup, `${what}: dup()`).to.deep.equal({ ok: true, value: "<stub>" });
      expect(o.dup!.ok, `${what}: dup() threw`).to.equal(false);
      expect(o.dup!.sync, `${what}: dup() threw synchronously`).to.equal(true);
      const [error, own] = [o.dup!.error!, o.dup!.own!].map((json) => normalise(JSON.parse(json)));
      expect(error, `${what}: dup()'s error (deep observation) against the caller's own Error of workerd's internal-error message`).to.deep.equal(own);
    });
  },
});
