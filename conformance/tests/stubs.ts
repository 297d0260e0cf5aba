/** Conformance tests for spec/stubs.md: what crosses by reference, and the lifecycle of stubs. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest, labelled } from "../engine/define.ts";
import { normalise } from "../diff/normalisations.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { errorMessage, jsonLikeContainer, jsonLikeValue } from "../arbitraries/values.ts";
import { calleeWorker, callerAndCallee, callerWorker, code, expectRpcError, expectValue, ident, js, json, lines, notImplemented, probeResult, value } from "./support.ts";
import type { Observed, Source } from "./support.ts";
import { observedEncoding } from "../arbitraries/crossing.ts";
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
    const callee = js`let made = 0;
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() {
    const serial = ++made; let calls = 0;
    const f = (x) => ({ tag: ${value(tag)}, x, serial, calls: ++calls });
    f[${prop!}] = ${value(propValue)};
    return f;
  }
}`;
    const body = js`
      const fn = await env.S[${make!}]();
      const kind = typeof fn;
      const results = [];
      for (const x of ${value(args)}) results.push(await observe(() => fn(x)));
      const prop = await observe(() => fn[${prop!}]);
      return respond({ kind, results, prop });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: js`` });
  },
  check({ tag, args, propValue }, observed: { kind: string; results: Observed[]; prop: Observed }) {
    const o = probeResult(observed);
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
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  async [${method}](cb, values) {
    const kind = typeof cb; const out = [];
    for (const v of values) out.push(await cb(v));
    return { kind, out };
  }
}`;
    const prelude = js`const seen = [];`;
    const body = js`
      const result = await observe(() => env.S[${method}]((v) => { seen.push(v); return { back: v, n: seen.length }; }, ${value(values)}));
      return respond({ result, seen });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ values }, observed: { result: Observed<{ kind: string; out: unknown[] }>; seen: unknown[] }) {
    const o = probeResult(observed);
    const r = expectValue(o.result, "a call passing a callback");
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
    const target = js`class Target extends RpcTarget {
  ${field!} = ${value(fieldValue)};
  constructor() { super(); this.hits = 0; }
  [${method!}](...args) { this.hits++; return { args, hits: this.hits }; }
  get [${getter!}]() { return { hits: this.hits }; }
  fetch(...args) { return { fetch: args }; }
}`;
    const use = js`async (t, args) => ({
        kind: typeof t,
        method: await observe(() => t[${method!}](...args)),
        getter: await observe(() => t[${getter!}]),
        fetch: await observe(() => t.fetch(...args)),
        fieldCall: await observe(() => t[${field!}]()),
        fieldRead: await observe(() => t[${field!}]),
        ownCall: await observe(() => t.hits()),
        missing: await observe(() => t[${missing!}]()),
      })`;
    const callee = viaArgument
      ? js`export class ${ident(cls)} extends WorkerEntrypoint {\n  async [${make!}](t, args) { const use = ${use}; return await use(t, args); }\n}`
      : js`${target}\nexport class ${ident(cls)} extends WorkerEntrypoint {\n  [${make!}]() { return new Target(); }\n}`;
    const body = viaArgument
      ? js`return respond(await observe(() => env.S[${make!}](new Target(), ${value(args)})));`
      : js`const t = await env.S[${make!}](); const use = ${use}; return respond(await observe(() => use(t, ${value(args)})));`;
    return callerAndCallee({
      // harness's observe is needed inside the callee when the target is passed in.
      callee: viaArgument ? js`import { observe } from "./harness.js";\n${callee}` : callee,
      targets: true,
      entrypoint: cls,
      probe: body,
      prelude: viaArgument ? target : js``,
    });
  },
  check({ names: [, , , field, missing], viaArgument, args }, observed: Observed<Record<"method" | "getter" | "fetch" | "fieldCall" | "fieldRead" | "ownCall" | "missing", Observed>>) {
    const where = viaArgument ? "an RpcTarget passed as an argument" : "a returned RpcTarget";
    const o = expectValue(probeResult(observed), where);
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
    const callee = js`class ${ident(base)} extends RpcTarget {
  [${inherited!}]() { return ${value(a)}; }
  static [${baseStatic!}]() { return "base static"; }
}
class ${ident(targetName)} extends ${ident(base)} {
  static [${ownStatic!}]() { return ${value(b)}; }
  #${ident(privMethod!)}() { return ${value(c)}; }
  #${ident(privField!)} = ${value(c)};
  peek() { return [this.#${ident(privMethod!)}(), this.#${ident(privField!)}]; } // the private members are in use
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return new ${ident(targetName)}(); }
}`;
    const hidden = [ownStatic!, baseStatic!, `#${privMethod}`, `#${privField}`];
    const body = js`
      const t = await env.S[${make!}]();
      const out = { inherited: await observe(() => t[${inherited!}]()), thenInherited: await observe(() => env.S[${make!}]()[${inherited!}]()) };
      for (const name of ${json(hidden)}) {
        out["call " + name] = await observe(() => t[name]());
        out["read " + name] = await observe(() => t[name]);
        out["pipelined " + name] = await observe(() => env.S[${make!}]()[name]());
      }
      return respond(out);`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: js`` });
  },
  check({ names: [, , ownStatic, baseStatic, privMethod, privField], values: [a] }, observed: Record<string, Observed>) {
    const o = probeResult(observed);
    expect(expectValue(o.inherited, "a method of the user superclass, through the stub"), "its result").to.deep.equal(a);
    expect(expectValue(o.thenInherited, "a method of the user superclass, pipelined"), "its result").to.deep.equal(a);
    for (const name of [ownStatic!, baseStatic!, `#${privMethod}`, `#${privField}`]) {
      for (const how of ["call", "read", "pipelined"]) expectRpcError(o[`${how} ${name}`], `${how} ${name} on the RpcTarget`, "TypeError", notImplemented(name));
    }
  },
});

/** Source of `mutate(v)`: what the wrapped target does to the arguments it gets. */
const MUTATE_ARGUMENT = js`function mutate(v) { if (Array.isArray(v)) v.push("changed"); else v["changed by target"] = true; return v; }`;

function mutated(v: Record<string, unknown> | unknown[]): unknown {
  return Array.isArray(v) ? [...v, "changed"] : { ...v, "changed by target": true };
}

/** Source of the value `new RpcStub(...)` wraps, for each kind it accepts. */
function wrappableSource(kind: "object" | "function" | "rpctarget", method: string, prop: string, propValue: unknown): Source {
  const body = js`return { args: args.map(mutate), tag: "wrapped" };`;
  if (kind === "object") return js`{ [${method}](...args) { ${body} }, [${prop}]: ${value(propValue)} }`;
  if (kind === "function") return js`Object.assign((...args) => { ${body} }, { [${prop}]: ${value(propValue)} })`;
  return js`new (class extends RpcTarget { [${method}](...args) { ${body} } get [${prop}]() { return ${value(propValue)}; } })()`;
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
    const callOn = (s: string) => (kind === "function" ? js`${ident(s)}(...args)` : js`${ident(s)}[${method!}](...args)`);
    const use = js`async (s, args) => {
        const p = ${callOn("s")};
        const shape = { then: typeof p.then, promise: p instanceof Promise };
        return { shape, result: await p, prop: await s[${prop!}] };
      }`;
    const callee = js`import { RpcStub } from "cloudflare:workers";
${MUTATE_ARGUMENT}
export class ${ident(cls)} extends WorkerEntrypoint {
  async [${entry!}](s, args) {
    if (s === undefined) return new RpcStub(${wrapped});
    const use = ${use};
    return await use(s, args);
  }
}`;
    const prelude = js`import { RpcStub } from "cloudflare:workers";\n${MUTATE_ARGUMENT}`;
    const body = js`
      const args = ${value(args)};
      const use = ${use};
      let out;
      ${where === "local" ? js`out = await use(new RpcStub(${wrapped}), args);` : js``}
      ${where === "argument" ? js`out = await env.S[${entry!}](new RpcStub(${wrapped}), args);` : js``}
      ${where === "result" ? js`out = await use(await env.S[${entry!}](), args);` : js``}
      return respond({ out, argsAfter: args });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ kind, where, args, propValue }, observed: { out: { shape: unknown; result: unknown; prop: unknown }; argsAfter: unknown }) {
    const o = probeResult(observed);
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
  scenario({ kind, method, dups, value: v }) {
    const result = value(v);
    const made =
      kind === "object"
        ? js`{ [${method}]() { return ${result}; }, [Symbol.dispose]() { disposed++; } }`
        : kind === "function"
          ? js`Object.assign(() => ${result}, { [Symbol.dispose]() { disposed++; } })`
          : js`new (class extends RpcTarget { [${method}]() { return ${result}; } [Symbol.dispose]() { disposed++; } })()`;
    const call = (s: string) => (kind === "function" ? js`${ident(s)}()` : js`${ident(s)}[${method}]()`);
    const body = js`
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
    return { workers: [callerWorker("probe", body, { prelude: js`import { RpcStub } from "cloudflare:workers";` })], probe: "probe" };
  },
  check({ kind, dups, value }, observed: { before: Observed; afterFirst: number; disposedUse: Observed; dupUses: Observed[]; afterAll: number }) {
    const o = probeResult(observed);
    const what = `a stub of a ${kind} made by new RpcStub, with ${dups} dup(s)`;
    expect(expectValue(o.before, `${what}: a call before disposal`), "its result").to.deep.equal(value);
    expect(o.afterFirst, `${what}: disposer runs after the stub itself is disposed`).to.equal(dups === 0 ? 1 : 0);
    expectRpcError(o.disposedUse, `${what}: a call through the disposed stub`, "Error", DISPOSED_STUB_MESSAGE);
    o.dupUses.forEach((use, i) => expect(expectValue(use, `${what}: a call through dup ${i + 1}`), "its result").to.deep.equal(value));
    expect(o.afterAll, `${what}: disposer runs once every handle is disposed`).to.equal(1);
  },
});

/**
 * What `new RpcStub(...)` must refuse: non-objects, and objects that are not plain, functions or
 * RpcTargets. Each is the source text of an expression (text, so a counterexample prints as code).
 */
const unwrappable = fc.oneof(
  fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean(), fc.bigInt(), fc.constant(null), fc.constant(undefined)).map((v) => ({ source: value(v).text, object: false })),
  fc.constantFrom('Symbol("s")', "").map((source) => ({ source, object: false })),
  fc.oneof(
    fc.array(jsonLikeValue, { maxLength: 3 }).map((a) => value(a)),
    fc.integer({ min: 0, max: 2 ** 40 }).map((t) => js`new Date(${t})`),
    fc.array(fc.tuple(jsonLikeValue, jsonLikeValue), { maxLength: 2 }).map((e) => js`new Map(${value(e)})`),
    fc.array(jsonLikeValue, { maxLength: 2 }).map((a) => js`new Set(${value(a)})`),
    errorMessage.map((m) => js`new Error(${m})`),
    fc.constantFrom("/x+/g", "Promise.resolve(1)", "Object.create(null)").map(code),
    fc.tuple(className, memberName).map(([name, field]) => js`new (class ${ident(name)} { constructor() { this[${field}] = () => 1; } })()`),
  ).map((source) => ({ source: source.text, object: true })),
);

defineTest({
  id: "stubs/rpcstub-refused",
  title: "new RpcStub(x) throws TypeError at once for a primitive, an array, a Date, a Map, a class instance…",
  requirements: ["STUB-RPCSTUB-REFUSED"],
  arbitrary: unwrappable,
  scenario({ source }) {
    const body = js`
      let outcome;
      try { const s = new RpcStub(${code(source)}); outcome = { made: typeof s }; } catch (error) { outcome = { threw: error }; }
      return respond(outcome);`;
    return { workers: [callerWorker("probe", body, { prelude: js`import { RpcStub } from "cloudflare:workers";` })], probe: "probe" };
  },
  check({ source, object }, observed: { made?: string; threw?: Error }) {
    const o = probeResult(observed);
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
  scenario({ cls, names: [make, inner, runs], entrypointOnly, holder, definesDup, how, value: result, args }) {
    const members = [js`[${entrypointOnly}](...args) { return { value: ${value(result)}, args }; }`];
    if (definesDup) members.push(js`dup() { dupRuns++; return "the target's dup"; }`);
    const made = holder === "plain" ? js`{ ${lines(members, ", ")}, [${inner!}]: { ${lines(members, ", ")} } }` : js`new Target()`;
    const callee = js`let dupRuns = 0;
class Target extends RpcTarget {
  ${lines(members, "\n  ")}
  get [${inner!}]() { return new Target(); }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return ${made}; }
  [${runs!}]() { return dupRuns; }
}`;
    const start = js`env.S[${make!}]()`;
    const dupUse =
      how === "pipelined-call" ? js`${start}.dup()` : how === "pipelined-read" ? js`${start}.dup` : js`${holder === "plain" ? start : js`(await t)`}[${inner!}].dup()`;
    const body = js`
      const t = ${start};
      const dup = await observe(async () => ${dupUse});
      const other = await observe(() => ${start}[${entrypointOnly}](...${value(args)}));
      const stubOther = await observe(async () => ${holder === "plain" ? js`${start}[${inner!}]` : js`(await t)[${inner!}]`}[${entrypointOnly}](...${value(args)}));
      return respond({ dup, remote: dup.ok ? undefined : dup.error?.remote, other, stubOther, dupRuns: await env.S[${runs!}]() });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: js`` });
  },
  check({ holder, how, value, args, entrypointOnly }, observed: { dup: Observed; remote: unknown; other: Observed; stubOther: Observed; dupRuns: number }) {
    const o = probeResult(observed);
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
    const error = js`new ${ident(errorClass)}(${message})`;
    const callee = js`class Target extends RpcTarget {
  [${method!}]() { throw ${error}; }
  async ["async " + ${method!}]() { await null; throw ${error}; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return new Target(); }
  [${method!}]() { return () => { throw ${error}; }; }
  async [${call!}](cb, caught) {
    if (!caught) return await cb();
    try { await cb(); return { caught: false }; } catch (e) { return { caught: true, cls: e.constructor.name, name: e.name, message: e.message, remote: e.remote }; }
  }
}`;
    const use: Record<typeof where, Source> = {
      "rpctarget-method": js`(await env.S[${make!}]())[${method!}]()`,
      "rpctarget-async": js`(await env.S[${make!}]())["async " + ${method!}]()`,
      pipelined: js`env.S[${make!}]()[${method!}]()`,
      "returned-function": js`(await env.S[${method!}]())()`,
      "callback-caught": js`env.S[${call!}](() => { throw ${error}; }, true)`,
      "callback-uncaught": js`env.S[${call!}](() => { throw ${error}; }, false)`,
    };
    const body = js`const result = await observe(async () => ${use[where]});
      return respond({ result, remote: result.ok ? undefined : result.error?.remote });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: js`` });
  },
  check({ errorClass, message, where }, observed: { result: Observed; remote: unknown }) {
    const o = probeResult(observed);
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
    const wrap = (inner: Source) => {
      let expr = inner;
      for (let i = 0; i < depth; i++) expr = inArray ? js`[${expr}]` : js`{ ${key}: ${expr} }`;
      return expr;
    };
    const reach = (root: string) => js`${code(root)}${lines(Array.from({ length: depth }, () => (inArray ? js`[0]` : js`[${key}]`)), "")}`;
    const pack = js`({ data: ${value(data)}, stubs: ${wrap(js`{ fn: (x) => ({ fn: x }), target: new Counter() }`)} })`;
    const counter = js`class Counter extends RpcTarget { #n = 0; [${inc!}]() { return ++this.#n; } }`;
    const callee = js`${counter}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return ${pack}; }
  async [${use!}](received) {
    const s = ${reach("received.stubs")};
    return { data: received.data, fn: await s.fn("arg"), inc: [await s.target[${inc!}](), await s.target[${inc!}]()] };
  }
}`;
    const body = js`
      const got = await env.S[${make!}]();
      const s = ${reach("got.stubs")};
      const returned = await observe(async () => ({ data: got.data, fn: await s.fn("arg"), inc: [await s.target[${inc!}](), await s.target[${inc!}]()] }));
      const passed = await observe(() => env.S[${use!}](${pack}));
      return respond({ returned, passed });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: counter });
  },
  check({ data }, observed: Record<"returned" | "passed", Observed<{ data: unknown; fn: unknown; inc: number[] }>>) {
    const o = probeResult(observed);
    for (const [what, result] of [["in a result", o.returned], ["in the arguments", o.passed]] as const) {
      const r = expectValue(result, `stubs nested ${what}`);
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
    const callee = js`let total = 0;
class Counter extends RpcTarget { [${inc!}]() { return ++total; } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return new Counter(); }
  [${total!}]() { return total; }
}`;
    // The third worker gets the stub as an argument, and (inResult) hands it back inside its result.
    const third = js`export class Third extends WorkerEntrypoint {
  async [${use!}](stub) {
    const seen = [];
    for (let i = 0; i < ${calls}; i++) seen.push(await stub[${inc!}]());
    return ${inResult ? js`{ seen, back: stub.dup() }` : js`{ seen }`};
  }
}`;
    const body = js`
      const stub = await env.S[${make!}]();
      const third = await observe(async () => {
        const r = await env.T[${use!}](stub);
        return { seen: r.seen, back: r.back ? await r.back[${inc!}]() : null };
      });
      const total = await env.S[${total!}]();
      return respond({ third, total });`;
    return callerAndCallee({
      callee,
      targets: true,
      entrypoint: cls,
      workers: [calleeWorker("third", third, { targets: true })],
      probeServices: [{ binding: "T", service: "third", entrypoint: "Third" }],
      probe: body,
      prelude: js``,
    });
  },
  check({ calls, inResult }, observed: { third: Observed<{ seen: number[]; back: number | null }>; total: number }) {
    const o = probeResult(observed);
    const r = expectValue(o.third, "passing the stub on to a third worker");
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
    const callee = js`class Counter extends RpcTarget {
  #count = 0;
  [${inc!}]() { return ++this.#count; }
  [${self!}]() { return this; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return new Counter(); }
  async [${use!}](stub) { return await stub[${inc!}](); }
}`;
    const body = js`
      const first = await env.S[${make!}]();
      const steps = ${json(programSteps(program))};
      return respond(await runSteps(steps, first, (stub) => env.S[${use!}](stub), ${inc!}, ${self!}));`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: code(STUB_INTERPRETER) });
  },
  check({ program }, observed: unknown[], profile) {
    // STUB-PARAM-OWNERSHIP: `2024-04-03` transfers a stub sent as an argument; `current` (rpc_params_dup_stubs) does not.
    replayLifecycle(program, probeResult(observed), profile.name === "2024-04-03");
  },
});

defineTest({
  id: "stubs/result-dispose",
  title: "disposing a returned object disposes every stub inside it; its data stays",
  requirements: ["STUB-RESULT-DISPOSE"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 3, 3), data: jsonLikeValue, inArray: fc.boolean() }),
  scenario({ cls, names: [make, inc, key], data, inArray }) {
    const callee = js`class Counter extends RpcTarget { #n = 0; [${inc!}]() { return ++this.#n; } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() {
    const stubs = { fn: () => "fn", target: new Counter() };
    return { data: ${value(data)}, [${key!}]: ${inArray ? js`[stubs]` : js`stubs`} };
  }
}`;
    const reach = js`result[${key!}]${inArray ? js`[0]` : js``}`;
    const body = js`
      const result = await env.S[${make!}]();
      const s = ${reach};
      const before = [await observe(() => s.fn()), await observe(() => s.target[${inc!}]())];
      const hasDispose = typeof result[Symbol.dispose];
      result[Symbol.dispose]();
      const after = [await observe(() => s.fn()), await observe(() => s.target[${inc!}]())];
      return respond({ before, hasDispose, after, data: result.data });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: js`` });
  },
  check({ data }, observed: { before: Observed[]; hasDispose: string; after: Observed[]; data: unknown }) {
    const o = probeResult(observed);
    expect(expectValue(o.before[0], "the function stub before disposal"), "its result").to.equal("fn");
    expect(expectValue(o.before[1], "the RpcTarget stub before disposal"), "its result").to.equal(1);
    expect(o.hasDispose, "typeof result[Symbol.dispose]").to.equal("function");
    expectRpcError(o.after[0], "the function stub after disposing the result", "Error", DISPOSED_STUB_MESSAGE);
    expectRpcError(o.after[1], "the RpcTarget stub after disposing the result", "Error", DISPOSED_STUB_MESSAGE);
    expect(o.data, "the result's data after disposal").to.deep.equal(data);
  },
});

/** Source of `ownSymbols(v)`: every own symbol-keyed property of `v`, with its descriptor. */
const OWN_SYMBOLS = js`function ownSymbols(v) {
  return Object.getOwnPropertySymbols(v).map((k) => {
    const d = Object.getOwnPropertyDescriptor(v, k);
    const value = "value" in d ? { type: typeof d.value, name: d.value?.name, length: d.value?.length } : { accessor: true };
    // Node 20's Symbol.dispose is described "nodejs.dispose": the symbol is named by identity (spec/incidental.md).
    return { key: k === Symbol.dispose ? "Symbol.dispose" : String(k), enumerable: d.enumerable, configurable: d.configurable, writable: d.writable, ...value };
  });
}`;

/** The result kinds of stubs/result-shape, as callee-side expressions over `data` (and `fn`, a function). */
const RESULT_KINDS = {
  object: (stub: boolean) => js`({ inner: { data }, [Symbol("member")]: data${stub ? js`, fn` : js``} })`,
  array: (stub: boolean) => js`[{ data }${stub ? js`, fn` : js``}]`,
  map: (stub: boolean) => js`new Map([["data", data]${stub ? js`, ["fn", fn]` : js``}])`,
  date: () => js`new Date(0)`,
  error: () => js`new RangeError("result")`,
  typedArray: () => js`new Uint8Array([1, 2, 3])`,
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
    const callee = js`${OWN_SYMBOLS}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { const data = ${value(data)}; const fn = () => "fn"; return ${RESULT_KINDS[kind](withStub)}; }
  [${look!}](arg) { return { arg: ownSymbols(arg), inner: ownSymbols(arg.inner) }; }
}`;
    const nested = kind === "object" ? js`ownSymbols(r.inner)` : kind === "array" ? js`ownSymbols(r[0])` : js`null`;
    const body = js`
      const r = await env.S[${make!}]();
      const top = ownSymbols(r);
      const nested = ${nested};
      let twice = "no throw";
      try { r[Symbol.dispose](); r[Symbol.dispose](); } catch (e) { twice = String(e); }
      const received = await env.S[${look!}]({ inner: { data: ${value(data)} } });
      return respond({ top, nested, twice, received: { arg: received.arg, inner: received.inner } });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: OWN_SYMBOLS });
  },
  check({ kind }, observed: { top: unknown[]; nested: unknown[] | null; twice: string; received: { arg: unknown[]; inner: unknown[] } }) {
    const o = probeResult(observed);
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
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${echo!}](x) { return x; }
}`;
    const prelude = js`let calls = 0;
class Local extends RpcTarget { [${method!}](x) { calls++; return { local: x }; } }`;
    const target = kind === "function" ? js`(x) => { calls++; return { local: x }; }` : js`new Local()`;
    const sent = placement === "top" ? js`t` : placement === "object" ? js`{ k: t }` : js`[t]`;
    const reach = placement === "top" ? js`back` : placement === "object" ? js`back.k` : js`back[0]`;
    const use = kind === "function" ? js`stub(${value(arg)})` : js`stub[${method!}](${value(arg)})`;
    const body = js`
      const t = ${target};
      const back = await env.S[${echo!}](${sent});
      const stub = ${reach};
      const type = typeof stub;
      const call = await observe(() => ${use});
      back[Symbol.dispose]();
      const after = await observe(() => ${use});
      return respond({ type, call, calls, after });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ kind, placement, arg }, observed: { type: string; call: Observed; calls: number; after: Observed }) {
    const o = probeResult(observed);
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
const SURFACE = js`function surface(x, name, index) {
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
    const callee = js`class Target extends RpcTarget { [${name!}]() { return 1; } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}](kind) { return kind === "rpctarget" ? new Target() : kind === "function" ? () => 1 : { value: 1 }; }
}`;
    const prelude = js`import { RpcStub } from "cloudflare:workers";\n${SURFACE}`;
    const get = handleOfKind(kind, make!, name!, kind);
    const body = js`
      const x = ${get};
      const seen = surface(x, ${name!}, ${index});
      ${kind === "thenable" ? js`await x;` : js``}
      return respond(seen);`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ kind }, observed: unknown) {
    expect(probeResult(observed), `what the caller sees of a ${kind}`).to.deep.equal(expectedSurface(kind));
  },
});

/** Probe source for the handle a surface test looks at: the binding, a property handle, a call's thenable (of `make(thenableOf)`) or a stub `make(kind)` returned. */
function handleOfKind(kind: string, make: string, name: string, thenableOf: string): Source {
  if (kind === "binding") return js`env.S`;
  if (kind === "property") return js`env.S[${name}]`;
  if (kind === "thenable") return js`env.S[${make}](${thenableOf})`;
  return js`await env.S[${make}](${kind})`;
}

/** What the caller sees of a handle's class, constructor and JSON text (STUB-SURFACE, second paragraph). */
const SURFACE_CLASS = js`function classSurface(x) {
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
    const callee = js`let toJSONCalls = 0;
class Target extends RpcTarget { [${name!}]() { return 1; } toJSON() { toJSONCalls++; return "target"; } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}](kind) { return kind === "rpctarget" ? new Target() : kind === "function" ? Object.assign(() => 1, { toJSON() { toJSONCalls++; return "fn"; } }) : { value: 1 }; }
  get [${name!}]() { return { toJSON() { toJSONCalls++; return "prop"; } }; }
  toJSON() { toJSONCalls++; return "entrypoint"; }
  toJSONCalls() { return toJSONCalls; }
}`;
    const prelude = js`import { RpcStub } from "cloudflare:workers";\n${SURFACE_CLASS}`;
    const get = handleOfKind(kind, make!, name!, "rpctarget");
    const body = js`
      const x = ${get};
      const seen = classSurface(x);
      ${kind === "thenable" ? js`await x;` : js``}
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.toJSONCalls = await env.S.toJSONCalls();
      return respond(seen);`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ kind }, observed: unknown) {
    const stub = kind === "rpctarget" || kind === "function";
    const thenable = kind === "thenable" || kind === "property";
    expect(probeResult(observed), `the class, constructor and JSON text of a ${kind}`).to.deep.equal({
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
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  async [${use!}](target) {
    const stubs = [target];
    for (let i = 0; i < ${dups}; i++) stubs.push(target.dup());
    const seen = [];
    for (let i = 0; i < stubs.length - 1; i++) {
      stubs[i][Symbol.dispose]();
      seen.push(await stubs[i + 1][${ping!}]());
    }
    stubs[stubs.length - 1][Symbol.dispose]();
    return { seen };
  }
}`;
    const prelude = js`let disposed = 0;
class Target extends RpcTarget {
  [${ping!}]() { return disposed; }
  [Symbol.dispose]() { disposed++; }
}`;
    const body = js`
      const call = await observe(() => env.S[${use!}](new Target()));
      const afterCall = disposed;
      for (let i = 0; i < 100 && disposed === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ call, afterCall, disposed });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ dups }, observed: { call: Observed<{ seen: number[] }>; afterCall: number; disposed: number }) {
    const o = probeResult(observed);
    const r = expectValue(o.call, "the call holding the target's stub and its duplicates");
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
    const callee = js`let kept = null, keptFn = null;
export class ${ident(cls)} extends WorkerEntrypoint {
  async [${keep!}](target, fn, x) {
    kept = target; keptFn = fn;
    return ${nowToo ? js`[await target[${method!}](x), await fn(x)]` : js`null`};
  }
  async [${useKept!}](x) {
    const out = {};
    try { out.target = { ok: await kept[${method!}](x) }; } catch (e) { out.target = { error: [e.name, e.message] }; }
    try { out.fn = { ok: await keptFn(x) }; } catch (e) { out.fn = { error: [e.name, e.message] }; }
    return out;
  }
}`;
    const prelude = js`class Target extends RpcTarget {
  [${method!}](x) { return { target: x }; }
}`;
    const body = js`
      const during = await observe(() => env.S[${keep!}](new Target(), (x) => ({ fn: x }), ${arg}));
      const later = await observe(() => env.S[${useKept!}](${arg}));
      return respond({ during, later });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ arg, nowToo }, observed: { during: Observed; later: Observed<Record<"target" | "fn", unknown>> }) {
    const o = probeResult(observed);
    expect(expectValue(o.during, "the call that kept its parameters"), "uses during the call").to.deep.equal(nowToo ? [{ target: arg }, { fn: arg }] : null);
    const later = expectValue(o.later, "a later call using the kept stubs");
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
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  async [${use!}](...args) {
    const stubs = args.map((a) => (a !== null && typeof a === "object" && !(a instanceof RpcTarget) && ${wrap!} in a ? a[${wrap!}] : a));
    const same = stubs.every((s) => s === stubs[0]);
    const counts = [];
    for (const s of stubs) counts.push(await s[${inc!}]());
    let afterDispose = null;
    if (stubs.length > 1) {
      stubs[0][Symbol.dispose]();
      try { await stubs[stubs.length - 1][${inc!}](); afterDispose = "resolved"; } catch (e) { afterDispose = [e.name, e.message]; }
    }
    return { same, counts, afterDispose };
  }
}`;
    const prelude = js`let disposed = 0, count = 0;
class Target extends RpcTarget {
  [${inc!}]() { return ++count; }
  [Symbol.dispose]() { disposed++; }
}`;
    const body = js`
      const target = new Target();
      const results = [];
      for (const c of ${json(calls)}) {
        const args = Array.from({ length: c.times }, (_, i) => (c.nested && i % 2 === 1 ? { [${wrap!}]: target } : target));
        results.push(await observe(() => env.S[${use!}](...args)));
      }
      for (let i = 0; i < 100 && disposed < ${calls.length}; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ results, disposed });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ calls }, observed: { results: Observed<{ same: boolean; counts: number[]; afterDispose: unknown }>[]; disposed: number }) {
    const o = probeResult(observed);
    let count = 0;
    o.results.forEach((r, i) => {
      const { times } = calls[i]!;
      const got = expectValue(r, `call ${i + 1}, sending the target ${times} time(s)`);
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
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  async [${use!}](target) { return await target[${ping!}](); }
}`;
    // A second target with a [Symbol.dispose] tells the probe when the disposers have had their chance.
    const prelude = js`let asyncDisposed = 0, disposed = 0;
class Async extends RpcTarget {
  [${ping!}]() { return "pong"; }
  async [Symbol.asyncDispose]() { asyncDisposed++; }
  ${alsoDispose ? js`[Symbol.dispose]() { disposed++; }` : js``}
}
class Sync extends RpcTarget {
  [${ping!}]() { return "pong"; }
  [Symbol.dispose]() { disposed++; }
}`;
    const expected = alsoDispose ? 2 * calls : calls;
    const body = js`
      const target = new Async();
      const results = [];
      for (let i = 0; i < ${calls}; i++) {
        results.push(await observe(() => env.S[${use!}](target)));
        results.push(await observe(() => env.S[${use!}](new Sync())));
      }
      for (let i = 0; i < 100 && disposed < ${expected}; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return respond({ results, asyncDisposed, disposed });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude });
  },
  check({ calls, alsoDispose }, observed: { results: Observed[]; asyncDisposed: number; disposed: number }) {
    const o = probeResult(observed);
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
    const callee = js`class Counter extends RpcTarget { #n = 0; [${inc!}](d) { return (this.#n += d); } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return ${kind === "function" ? js`(d) => d * 2` : js`new Counter()`}; }
  async [${callIt!}](x) { const s = ${nested ? js`x[${key!}]` : js`x`}; return await ${kind === "function" ? js`s(1)` : js`s[${inc!}](1)`}; }
  [${echo!}](x) { return x; }
}`;
    const sent = nested ? js`{ [${key!}]: s }` : js`s`;
    const reach = nested ? js`back[${key!}]` : js`back`;
    const use = (stub: Source) => (kind === "function" ? js`${stub}(1)` : js`${stub}[${inc!}](1)`);
    const body = js`
      const s = await env.S[${make!}]();
      const before = await observe(() => ${use(js`s`)});
      s[Symbol.dispose]();
      let dup;
      try { s.dup(); dup = "returned"; } catch (e) { dup = e instanceof Error ? "threw Error" : "threw"; }
      ${what === "calls"
        ? js`const call = await observe(() => env.S[${callIt!}](${sent}));
      return respond({ before, dup, call, remote: call.ok ? null : call.error?.remote === true });`
        : js`const call = await observe(() => env.S[${echo!}](${sent}));
      if (!call.ok) return respond({ before, dup, call });
      const back = call.value;
      const used = await observe(() => ${use(reach)});
      return respond({ before, dup, call: { ok: true, type: typeof ${reach} }, used, remote: used.ok ? null : used.error?.remote === true });`}`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body, prelude: js`` });
  },
  check({ callee: what }, observed: { before: Observed; dup: string; call: Observed | { ok: true; type: string }; used?: Observed; remote?: boolean | null }) {
    const o = probeResult(observed);
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
const WHOLE_SOURCE = js`function whole(r, expected) {
  if (r.ok) return { ok: true, value: typeof r.value === "function" ? "<stub>" : r.value };
  return { ok: false, sync: r.sync === true, error: JSON.stringify(observeDeep(r.error)), own: JSON.stringify(observeDeep(expected(r.error))) };
}
const INTERNAL_ERROR = /^internal error; reference = [0-9a-z]+$/;
// The id in workerd's message is random: the caller's own error takes the id the runtime gave.
const internalError = (e) => new Error(e instanceof Error && INTERNAL_ERROR.test(e.message) ? e.message : "internal error; reference = <id>");
const disposedRemote = () => Object.assign(new Error(${DISPOSED_STUB_MESSAGE}), { remote: true });`;

/** What `whole(…)` reports. */
interface Whole {
  ok: boolean;
  value?: unknown;
  sync?: boolean;
  error?: string;
  own?: string;
}

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
    const callee = js`class Counter extends RpcTarget { #n = 0; [${inc!}](d) { return (this.#n += d); } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return ${kind === "function" ? js`(d) => d * 2` : js`new Counter()`}; }
  async [${callIt!}](x) { return await ${kind === "function" ? js`x(1)` : js`x[${inc!}](1)`}; }
}`;
    const relayWorker = js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${relay!}](x) { return this.env.A[${callIt!}](x); }
}`;
    const body = js`
      const s = await env.S[${make!}]();
      const first = ${spent === "disposed" ? js`(s[Symbol.dispose](), null)` : js`whole(await observe(() => env.S[${callIt!}](s)), disposedRemote)`};
      const forwarded = whole(await observe(() => env.R[${relay!}](s)), disposedRemote);
      const dup = whole(await observe(() => s.dup()), internalError);
      return respond({ first, forwarded, dup });`;
    return callerAndCallee({
      callee,
      targets: true,
      entrypoint: cls,
      workers: [calleeWorker("relay", relayWorker, { targets: true, services: [{ binding: "A", service: "callee", entrypoint: cls }] })],
      probeServices: [{ binding: "R", service: "relay", entrypoint: cls }],
      probe: body,
      prelude: WHOLE_SOURCE,
    });
  },
  check({ kind, spent }, observed: Record<"first" | "forwarded" | "dup", Whole | null>, profile) {
    const o = probeResult(observed);
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
