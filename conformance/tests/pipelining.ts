/** Conformance tests for spec/pipelining.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { jsonLikeValue, wellFormedString } from "../arbitraries/values.ts";
import { errorMessage } from "./stub-workers.ts";
import { expectRpcError, expectValue, lit, notImplemented, valueExpr } from "./support.ts";
import { bindS, ran, rpcCallee, rpcProbe } from "./stub-workers.ts";
import { rejectedKind } from "../arbitraries/structured.ts";
import type { Observed } from "./support.ts";

defineTest({
  id: "pipelining/method",
  title: "a method is called on a result that has not arrived: an RpcTarget's method or a returned function",
  requirements: ["PIPE-METHOD"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 3, 3), seed: jsonLikeValue, args: fc.array(jsonLikeValue, { maxLength: 3 }) }),
  scenario({ cls, names: [make, method, wrap], seed, args }) {
    const callee = `class Target extends RpcTarget {
  #seed;
  constructor(seed) { super(); this.#seed = seed; }
  [${lit(method!)}](...args) { return { from: "target", seed: this.#seed, args }; }
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}](seed) { return new Target(seed); }
  [${lit(wrap!)}](seed) { return { [${lit(method!)}]: (...args) => ({ from: "function", seed, args }) }; }
}`;
    const body = `
      const seed = ${valueExpr(seed)}, args = ${valueExpr(args)};
      const onTarget = await observe(() => env.S[${lit(make!)}](seed)[${lit(method!)}](...args));
      const onObject = await observe(() => env.S[${lit(wrap!)}](seed)[${lit(method!)}](...args));
      return respond({ onTarget, onObject });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ seed, args }, observed) {
    const o = ran(observed) as { onTarget: unknown; onObject: unknown };
    expect(expectValue(o.onTarget, "a method pipelined on a returned RpcTarget"), "its result").to.deep.equal({ from: "target", seed, args });
    expect(expectValue(o.onObject, "a function pipelined on a returned object"), "its result").to.deep.equal({ from: "function", seed, args });
  },
});

defineTest({
  id: "pipelining/property-path",
  title: "pipelining follows a path of properties to a function or to data",
  requirements: ["PIPE-PROPERTY-PATH"],
  arbitrary: fc.record({
    cls: className,
    make: memberName,
    path: distinct(memberName, 1, 4),
    leaf: distinct(memberName, 2, 2),
    data: jsonLikeValue.filter((v) => v !== undefined),
    arg: jsonLikeValue,
  }),
  scenario({ cls, make, path, leaf: [fn, value], data, arg }) {
    let object = `{ [${lit(fn!)}]: (x) => ({ called: x }), [${lit(value!)}]: ${valueExpr(data)} }`;
    for (const key of [...path].reverse()) object = `{ [${lit(key)}]: ${object} }`;
    const callee = `export class ${cls} extends WorkerEntrypoint {\n  [${lit(make)}]() { return ${object}; }\n}`;
    const reach = path.map((k) => `[${lit(k)}]`).join("");
    const body = `
      const call = await observe(() => env.S[${lit(make)}]()${reach}[${lit(fn!)}](${valueExpr(arg)}));
      const read = await observe(() => env.S[${lit(make)}]()${reach}[${lit(value!)}]);
      return respond({ call, read });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ data, arg }, observed) {
    const o = ran(observed) as { call: unknown; read: unknown };
    expect(expectValue(o.call, "a function called through a pipelined path"), "its result").to.deep.equal({ called: arg });
    expect(expectValue(o.read, "data awaited through a pipelined path"), "the data").to.deep.equal(data);
  },
});

defineTest({
  id: "pipelining/same-instance",
  title: "calls pipelined on a result reach that one call's result: no new instance, no repeated call",
  requirements: ["PIPE-SAME-INSTANCE"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName.filter((n) => n !== "serial"), 3, 3), pipelined: fc.integer({ min: 1, max: 5 }) }),
  scenario({ cls, names: [make, method, count], pipelined }) {
    const callee = `let constructed = 0, makes = 0;
export class ${cls} extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.serial = ++constructed; }
  [${lit(make!)}]() { const serial = this.serial, make = ++makes; let calls = 0; return { [${lit(method!)}]: () => ({ serial, make, calls: ++calls }) }; }
  [${lit(count!)}]() { return { constructed, makes }; }
}`;
    const body = `
      const before = await env.S[${lit(count!)}]();
      const p = env.S[${lit(make!)}]();
      const seen = [];
      for (let i = 0; i < ${pipelined}; i++) seen.push(await observe(() => p[${lit(method!)}]()));
      const after = await env.S[${lit(count!)}]();
      return respond({ before, seen, after });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check(_c, observed) {
    const o = ran(observed) as { before: { constructed: number; makes: number }; seen: unknown[]; after: { constructed: number; makes: number } };
    const serial = o.before.constructed + 1;
    o.seen.forEach((s, i) => {
      expect(expectValue(s, `pipelined call ${i + 1}`), `pipelined call ${i + 1}: the one result of the one call`).to.deep.equal({ serial, make: o.before.makes + 1, calls: i + 1 });
    });
    expect(o.after.makes, "times the pipelined-on method ran").to.equal(o.before.makes + 1);
    expect(o.after.constructed, "instances constructed: one for the call, one for the count").to.equal(o.before.constructed + 2);
  },
});

defineTest({
  id: "pipelining/failure",
  title: "when a call fails, calls and reads pipelined on it reject with its error",
  requirements: ["PIPE-FAILURE"],
  arbitrary: fc.record({
    cls: className,
    fail: memberName,
    path: distinct(memberName, 1, 3),
    errorClass: fc.constantFrom("Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError"),
    message: errorMessage,
    asyncThrow: fc.boolean(),
  }),
  scenario({ cls, fail, path, errorClass, message, asyncThrow }) {
    const callee = `export class ${cls} extends WorkerEntrypoint {\n  ${asyncThrow ? "async " : ""}[${lit(fail)}]() { throw new ${errorClass}(${lit(message)}); }\n}`;
    const reach = path.map((k) => `[${lit(k)}]`).join("");
    const body = `
      const call = await observe(() => env.S[${lit(fail)}]()${reach}());
      const read = await observe(() => env.S[${lit(fail)}]()${reach});
      const p = env.S[${lit(fail)}]();
      const both = [await observe(() => p${reach}()), await observe(() => p)];
      return respond({ call, read, both });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ errorClass, message }, observed) {
    const o = ran(observed) as { call: unknown; read: unknown; both: unknown[] };
    expectRpcError(o.call, "a call pipelined on a failed call", errorClass, message);
    expectRpcError(o.read, "a read pipelined on a failed call", errorClass, message);
    expectRpcError(o.both[0], "a pipelined call, then the failed call itself: the pipelined call", errorClass, message);
    expectRpcError(o.both[1], "a pipelined call, then the failed call itself: the call", errorClass, message);
  },
});

const primitive = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  wellFormedString,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

defineTest({
  id: "pipelining/non-object",
  title: "a name pipelined on a primitive result (or a primitive along the path) rejects as not implemented",
  requirements: ["PIPE-NON-OBJECT"],
  arbitrary: fc.record({
    cls: className,
    make: memberName,
    value: primitive,
    name: fc.oneof(memberName, fc.constantFrom("length", "toFixed", "toUpperCase", "charAt")),
    nested: fc.option(memberName, { nil: undefined }),
  }),
  scenario({ cls, make, value, name, nested }) {
    const result = nested === undefined ? valueExpr(value) : `{ [${lit(nested)}]: ${valueExpr(value)} }`;
    const callee = `export class ${cls} extends WorkerEntrypoint {\n  [${lit(make)}]() { return ${result}; }\n}`;
    const reach = (nested === undefined ? "" : `[${lit(nested)}]`) + `[${lit(name)}]`;
    const body = `
      const call = await observe(() => env.S[${lit(make)}]()${reach}());
      const read = await observe(() => env.S[${lit(make)}]()${reach});
      return respond({ call, read });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ name, nested }, observed) {
    const o = ran(observed) as { call: unknown; read: unknown };
    // The error names the name that led to the primitive, or the pipelined name when the result is the primitive.
    const named = nested ?? name;
    expectRpcError(o.call, "a call pipelined on a primitive", "TypeError", notImplemented(named));
    expectRpcError(o.read, "a read pipelined on a primitive", "TypeError", notImplemented(named));
  },
});

const notAFunctionResult = fc.oneof(
  fc.record({ kind: fc.constant("target" as const) }),
  fc.record({ kind: fc.constant("object" as const), value: jsonLikeValue }),
  fc.record({ kind: fc.constant("primitive" as const), value: primitive }),
);

defineTest({
  id: "pipelining/call-result",
  title: "calling a call's thenable calls the function it returns; a result that is not a function rejects",
  requirements: ["PIPE-CALL-RESULT"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 3, 3),
    seed: jsonLikeValue,
    args: fc.array(jsonLikeValue, { maxLength: 3 }),
    other: notAFunctionResult,
  }),
  scenario({ cls, names: [fn, make, method], seed, args, other }) {
    const made =
      other.kind === "target" ? "new Target()" : other.kind === "object" ? `{ [${lit(method!)}]: ${valueExpr(other.value)} }` : valueExpr(other.value);
    const callee = `class Target extends RpcTarget {
  [${lit(method!)}]() { return "method"; }
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(fn!)}](seed) { return (...args) => ({ seed, args }); }
  [${lit(make!)}]() { return ${made}; }
}`;
    const body = `
      const seed = ${valueExpr(seed)}, args = ${valueExpr(args)};
      const called = await observe(() => env.S[${lit(fn!)}](seed)(...args));
      const notFunction = await observe(() => env.S[${lit(make!)}]()(...args));
      ${other.kind === "target" ? `const stub = await env.S[${lit(make!)}](); const stubCalled = await observe(() => stub(...args));` : "const stubCalled = null;"}
      return respond({ called, notFunction, stubCalled });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ seed, args, other }, observed) {
    const o = ran(observed) as { called: unknown; notFunction: unknown; stubCalled: unknown };
    expect(expectValue(o.called, "calling the thenable of a call that returns a function"), "the function's result").to.deep.equal({ seed, args });
    expectRpcError(o.notFunction, `calling the thenable of a call whose result is ${other.kind === "target" ? "an RpcTarget" : `a ${other.kind}`}`, "TypeError", '"(this)" is not a function.');
    if (other.kind === "target") expectRpcError(o.stubCalled, "calling an RpcTarget's stub", "TypeError", '"(this)" is not a function.');
  },
});

defineTest({
  id: "pipelining/after-resolve",
  title: "names pipelined on a call's thenable after it was awaited reach the same result; on a primitive they reject",
  requirements: ["PIPE-AFTER-RESOLVE"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 7, 7),
    data: jsonLikeValue,
    seed: jsonLikeValue,
    arg: jsonLikeValue,
    value: primitive,
    calls: fc.integer({ min: 1, max: 3 }),
  }),
  scenario({ cls, names: [make, fn, prim, key, method, dataKey, count], data, seed, arg, value, calls }) {
    const callee = `let makes = 0;
class Target extends RpcTarget {
  #calls = 0;
  [${lit(method!)}](x) { return { x, calls: ++this.#calls }; }
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { const make = ++makes; return { [${lit(key!)}]: { [${lit(method!)}]: (x) => ({ x, make }), [${lit(dataKey!)}]: ${valueExpr(data)} }, [${lit(method!)}]: new Target() }; }
  [${lit(fn!)}](seed) { const make = ++makes; return (x) => ({ seed, x, make }); }
  [${lit(prim!)}]() { return ${valueExpr(value)}; }
  [${lit(count!)}]() { return makes; }
}`;
    const body = `
      const arg = ${valueExpr(arg)};
      const p = env.S[${lit(make!)}]();
      await p;
      const viaFunction = await observe(() => p[${lit(key!)}][${lit(method!)}](arg));
      const viaData = await observe(() => p[${lit(key!)}][${lit(dataKey!)}]);
      const viaTarget = [];
      for (let i = 0; i < ${calls}; i++) viaTarget.push(await observe(() => p[${lit(method!)}][${lit(method!)}](arg)));
      const f = env.S[${lit(fn!)}](${valueExpr(seed)});
      await f;
      const viaCall = await observe(() => f(arg));
      const makes = await env.S[${lit(count!)}]();
      const q = env.S[${lit(prim!)}]();
      await q;
      const primCall = await observe(() => q[${lit(key!)}]());
      const primRead = await observe(() => q[${lit(key!)}]);
      const primSelf = await observe(() => q(arg));
      return respond({ viaFunction, viaData, viaTarget, viaCall, makes, primCall, primRead, primSelf });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ data, seed, arg }, observed) {
    const o = ran(observed) as Record<string, any>;
    expect(expectValue(o.viaFunction, "a function pipelined on an awaited call"), "its result, from that call's result").to.deep.equal({ x: arg, make: 1 });
    expect(expectValue(o.viaData, "data pipelined on an awaited call"), "the data").to.deep.equal(data);
    (o.viaTarget as unknown[]).forEach((r, i) => {
      expect(expectValue(r, `call ${i + 1} pipelined on an awaited call's RpcTarget`), "the one RpcTarget's state").to.deep.equal({ x: arg, calls: i + 1 });
    });
    expect(expectValue(o.viaCall, "calling an awaited call's thenable"), "the returned function's result").to.deep.equal({ seed, x: arg, make: 2 });
    expect(o.makes, "times the pipelined-on methods ran").to.equal(2);
    const cannot = "Can't pipeline on RPC that did not return an object.";
    expectRpcError(o.primCall, "a call pipelined on an awaited primitive result", "TypeError", cannot);
    expectRpcError(o.primRead, "a read pipelined on an awaited primitive result", "TypeError", cannot);
    expectRpcError(o.primSelf, "calling the thenable of an awaited primitive result", "TypeError", cannot);
  },
});

defineTest({
  id: "pipelining/depth-limit",
  title: "a path of up to 65 names works on a binding, a stub or a thenable; reading a 66th throws",
  requirements: ["PIPE-DEPTH-LIMIT"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 4, 4),
    // Total names on the path, the last one being the leaf that is awaited or called.
    length: fc.integer({ min: 56, max: 75 }),
    base: fc.constantFrom("binding", "stub", "thenable"),
    call: fc.boolean(),
  }),
  scenario({ cls, names: [step, leaf, make, makeTarget], length, base, call }) {
    const callee = `function nested(level) {
  const o = { [${lit(leaf!)}]: (x) => ({ level, x }) };
  if (level < 80) o[${lit(step!)}] = nested(level + 1);
  return o;
}
const levels = nested(0);
class Target extends RpcTarget {
  get [${lit(step!)}]() { return levels; }
}
export class ${cls} extends WorkerEntrypoint {
  get [${lit(step!)}]() { return levels; }
  [${lit(make!)}]() { return levels; }
  [${lit(makeTarget!)}]() { return new Target(); }
}`;
    const start = base === "binding" ? "env.S" : base === "stub" ? `await env.S[${lit(makeTarget!)}]()` : `env.S[${lit(make!)}]()`;
    const body = `
      let path = ${start};
      let read = 0, threw = null;
      try {
        for (let i = 0; i < ${length - 1}; i++) { path = path[${lit(step!)}]; read++; }
        path = path[${lit(leaf!)}]; read++;
      } catch (error) {
        threw = error;
      }
      const reached = threw === null ? await observe(() => ${call ? "path(read)" : "path.then((f) => typeof f)"}) : null;
      return respond({ read, threw, reached });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ length, base, call }, observed) {
    const o = ran(observed) as { read: number; threw: Error | null; reached: unknown };
    if (length <= 65) {
      expect(o.threw, `reading a path of ${length} names`).to.equal(null);
      // The binding's and the stub's first name is their getter, which gives level 0.
      const level = base === "thenable" ? length - 1 : length - 2;
      expect(expectValue(o.reached, `${call ? "calling" : "awaiting"} the end of a ${length}-name path`), "what is there").to.deep.equal(call ? { level, x: length } : "function");
    } else {
      expect(o.read, `names read before the path was refused (${length} asked)`).to.equal(65);
      expect(o.threw, "what reading the 66th name threw").to.be.an("error");
      expect([o.threw!.name, o.threw!.message], "the error reading the 66th name threw").to.deep.equal(["TypeError", "RPC pipelined property path is too deep (max 64)."]);
    }
  },
});

/** An object a path cannot walk into (PIPE-PATH-NON-PLAIN): how to make it and names it really has. */
interface NonPlainKind {
  source: string;
  members: string[];
  /** Whether it can be a call's whole result (it serializes). */
  serializable: boolean;
}

const nonPlainKind: fc.Arbitrary<NonPlainKind> = fc.oneof(
  fc.array(jsonLikeValue, { maxLength: 3 }).map((items) => ({ source: valueExpr(items), members: ["length", "at", "map"], serializable: true })),
  fc.array(fc.tuple(jsonLikeValue, jsonLikeValue), { maxLength: 2 }).map((entries) => ({ source: `new Map(${valueExpr(entries)})`, members: ["get", "size", "has"], serializable: true })),
  fc.array(jsonLikeValue, { maxLength: 2 }).map((items) => ({ source: `new Set(${valueExpr(items)})`, members: ["has", "size"], serializable: true })),
  fc.integer({ min: 0, max: 2 ** 40 }).map((t) => ({ source: `new Date(${t})`, members: ["getTime", "toISOString"], serializable: true })),
  fc.constantFrom("RegExp", "Error", "Uint8Array").map((kind) => ({
    source: kind === "RegExp" ? "/a+/g" : kind === "Error" ? `new Error("e")` : "new Uint8Array(3)",
    members: kind === "RegExp" ? ["source", "test"] : kind === "Error" ? ["message", "name"] : ["length", "byteLength"],
    serializable: true,
  })),
  fc.tuple(className, memberName, memberName).map(([name, field, method]) => ({
    source: `new (class ${name} { constructor() { this[${lit(field)}] = 1; } [${lit(method)}]() { return 2; } })()`,
    members: [field, method],
    serializable: false,
  })),
  memberName.map((key) => ({ source: `Object.assign(Object.create(null), { [${lit(key)}]: () => 1 })`, members: [key], serializable: false })),
  fc.constant<NonPlainKind>({ source: "new WeakMap()", members: ["get", "has"], serializable: false }),
);

/** Where the non-plain object sits, and how the probe reaches it. */
const pathPlace = fc.constantFrom("in-result", "result", "getter", "in-getter", "stub-getter");

defineTest({
  id: "pipelining/path-non-plain",
  title: "a path cannot go through an array, Map, Date, class instance, null-prototype object…: it rejects naming the name that holds it",
  requirements: ["PIPE-PATH-NON-PLAIN"],
  numRuns: 50,
  arbitrary: fc
    .record({
      cls: className,
      names: distinct(memberName, 3, 3),
      kind: nonPlainKind,
      place: pathPlace,
      next: fc.option(fc.nat(), { nil: undefined }),
      other: memberName,
      call: fc.boolean(),
    })
    .filter(({ kind, place }) => kind.serializable || (place !== "result" && place !== "in-result")),
  scenario({ cls, names: [entry, key, getter], kind, place, next, other, call }) {
    const nextName = next === undefined ? other : kind.members[next % kind.members.length]!;
    const callee = `class Target extends RpcTarget { get [${lit(getter!)}]() { return ${kind.source}; } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(entry!)}]() { return ${place === "result" ? kind.source : place === "stub-getter" ? "new Target()" : `{ [${lit(key!)}]: ${kind.source}, ok: 1 }`}; }
  get [${lit(getter!)}]() { return ${place === "getter" ? kind.source : `{ [${lit(key!)}]: ${kind.source} }`}; }
}`;
    const start =
      place === "in-result" ? `env.S[${lit(entry!)}]()[${lit(key!)}]`
      : place === "result" ? `env.S[${lit(entry!)}]()`
      : place === "getter" ? `env.S[${lit(getter!)}]`
      : place === "in-getter" ? `env.S[${lit(getter!)}][${lit(key!)}]`
      : `t[${lit(getter!)}]`;
    const use = call ? `${start}[${lit(nextName)}]()` : `${start}[${lit(nextName)}]`;
    const body = `${place === "stub-getter" ? `const t = await env.S[${lit(entry!)}]();` : ""}
      return respond(await observe(() => ${use}));`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ names: [, key, getter], kind, place, next, other, call }, observed) {
    const nextName = next === undefined ? other : kind.members[next % kind.members.length]!;
    const holder = place === "result" ? nextName : place === "getter" || place === "stub-getter" ? getter! : key!;
    expectRpcError(ran(observed), `${call ? "calling" : "awaiting"} .${nextName} on ${kind.source} (${place})`, "TypeError", notImplemented(holder));
  },
});

/** A path of keys into the result, at whose end sits an object with a method and accessors. */
defineTest({
  id: "pipelining/path-this",
  title: "a method reached along a path runs with the plain object holding it as this; an own getter there runs on await or call",
  requirements: ["PIPE-PATH-THIS"],
  numRuns: 40,
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 6, 6),
    keys: fc.array(memberName, { minLength: 0, maxLength: 3 }),
    value: jsonLikeValue,
    args: fc.array(jsonLikeValue, { maxLength: 2 }),
    place: fc.constantFrom("result", "getter", "stub-getter"),
  }),
  scenario({ cls, names: [entry, getter, field, method, acc, fnAcc], keys, value, args, place }) {
    let leaf = `{ [${lit(field!)}]: ${valueExpr(value)},
      [${lit(method!)}](...args) { return { own: this[${lit(field!)}], args }; },
      get [${lit(acc!)}]() { return this[${lit(field!)}]; },
      get [${lit(fnAcc!)}]() { const own = this[${lit(field!)}]; return (...args) => ({ own, args }); } }`;
    for (const k of [...keys].reverse()) leaf = `{ [${lit(k)}]: ${leaf} }`;
    const callee = `class Target extends RpcTarget { get [${lit(getter!)}]() { return ${leaf}; } }
export class ${cls} extends WorkerEntrypoint {
  [${lit(entry!)}]() { return ${place === "stub-getter" ? "new Target()" : leaf}; }
  get [${lit(getter!)}]() { return ${leaf}; }
}`;
    const root = place === "result" ? `env.S[${lit(entry!)}]()` : place === "getter" ? `env.S[${lit(getter!)}]` : `t[${lit(getter!)}]`;
    const path = `${root}${keys.map((k) => `[${lit(k)}]`).join("")}`;
    const body = `${place === "stub-getter" ? `const t = await env.S[${lit(entry!)}]();` : ""}
      const args = ${valueExpr(args)};
      return respond({
        method: await observe(() => ${path}[${lit(method!)}](...args)),
        acc: await observe(() => ${path}[${lit(acc!)}]),
        fnAcc: await observe(() => ${path}[${lit(fnAcc!)}](...args)),
      });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ value, args, place }, observed) {
    const o = ran(observed) as Record<string, unknown>;
    expect(expectValue(o.method, `a method at the end of the path (${place})`), "what it saw on this").to.deep.equal({ own: value, args });
    expect(expectValue(o.acc, `an own getter at the end of the path, awaited (${place})`), "the getter's value").to.deep.equal(value);
    expect(expectValue(o.fnAcc, `an own getter returning a function, called (${place})`), "the function's result").to.deep.equal({ own: value, args });
  },
});

/** The pipelined use must reject with a DataCloneError carrying exactly `message`. */
function expectCloneError(observed: unknown, what: string, message: string): void {
  const o = observed as Observed;
  if (o.ok) throw new Error(`${what}: expected a rejection with DataCloneError: ${message}, but it resolved`);
  expect(o.sync, `${what}: thrown synchronously`).to.not.equal(true);
  const error = o.error as DOMException;
  expect(error, `${what}: rejection value`).to.be.instanceOf(DOMException);
  expect(error.name, `${what}: error name`).to.equal("DataCloneError");
  expect(error.message, `${what}: error message`).to.equal(message);
}

defineTest({
  id: "pipelining/unsendable-result",
  title: "when a call's result cannot be sent, calls and reads pipelined on it reject with that DataCloneError, even along sendable parts",
  requirements: ["PIPE-UNSENDABLE-RESULT"],
  arbitrary: fc
    .record({
      cls: className,
      names: distinct(memberName, 4, 4),
      bad: rejectedKind,
      value: jsonLikeValue,
      order: fc.constantFrom("pipelined-first", "call-first"),
    })
    .filter(({ names: [, key, , badKey] }) => key !== badKey),
  scenario({ cls, names: [make, key, method, badKey], bad, value, order }) {
    const callee = `export class ${cls} extends WorkerEntrypoint {
  [${lit(make!)}]() { return { [${lit(key!)}]: { data: ${valueExpr(value)}, [${lit(method!)}]() { return this.data; } }, [${lit(badKey!)}]: ${bad.expression} }; }
}`;
    const body = `
      const p = env.S[${lit(make!)}]();
      const uses = ${order === "call-first" ? "[await observe(() => p)]" : "[]"};
      const call = await observe(() => p[${lit(key!)}][${lit(method!)}]());
      const read = await observe(() => p[${lit(key!)}].data);
      const fresh = await observe(() => env.S[${lit(make!)}]()[${lit(key!)}][${lit(method!)}]());
      return respond({ call, read, fresh, result: await observe(() => p), uses });`;
    return { workers: [rpcCallee("callee", callee), rpcProbe("probe", "", body, bindS(cls))], probe: "probe" };
  },
  check({ bad, order }, observed) {
    const o = ran(observed) as { call: unknown; read: unknown; fresh: unknown; result: unknown };
    expectCloneError(o.result, `the call itself (${bad.expression})`, bad.message);
    expectCloneError(o.call, `a method pipelined on the unsendable result (${order})`, bad.message);
    expectCloneError(o.read, `a read pipelined on the unsendable result (${order})`, bad.message);
    expectCloneError(o.fresh, "a method pipelined on a fresh call", bad.message);
  },
});
