/** Conformance tests for spec/pipelining.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { jsonLikeValue, wellFormedString } from "../arbitraries/values.ts";
import { errorMessage } from "./stub-workers.ts";
import { callerAndCallee, code, expectRpcError, expectValue, ident, js, lines, notImplemented, type Observed, probeResult, Source, value } from "./support.ts";
import { rejectedKind } from "../arbitraries/structured.ts";

defineTest({
  id: "pipelining/method",
  title: "a method is called on a result that has not arrived: an RpcTarget's method or a returned function",
  requirements: ["PIPE-METHOD"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 3, 3), seed: jsonLikeValue, args: fc.array(jsonLikeValue, { maxLength: 3 }) }),
  scenario({ cls, names: [make, method, wrap], seed, args }) {
    const callee = js`class Target extends RpcTarget {
  #seed;
  constructor(seed) { super(); this.#seed = seed; }
  [${method!}](...args) { return { from: "target", seed: this.#seed, args }; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}](seed) { return new Target(seed); }
  [${wrap!}](seed) { return { [${method!}]: (...args) => ({ from: "function", seed, args }) }; }
}`;
    const body = js`
      const seed = ${value(seed)}, args = ${value(args)};
      const onTarget = await observe(() => env.S[${make!}](seed)[${method!}](...args));
      const onObject = await observe(() => env.S[${wrap!}](seed)[${method!}](...args));
      return respond({ onTarget, onObject });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ seed, args }, observed: { onTarget: Observed; onObject: Observed }) {
    const o = probeResult(observed);
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
  scenario({ cls, make, path, leaf: [fn, dataKey], data, arg }) {
    let object = js`{ [${fn!}]: (x) => ({ called: x }), [${dataKey!}]: ${value(data)} }`;
    for (const key of [...path].reverse()) object = js`{ [${key}]: ${object} }`;
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${make}]() { return ${object}; }\n}`;
    const reach = lines(path.map((k) => js`[${k}]`), "");
    const body = js`
      const call = await observe(() => env.S[${make}]()${reach}[${fn!}](${value(arg)}));
      const read = await observe(() => env.S[${make}]()${reach}[${dataKey!}]);
      return respond({ call, read });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ data, arg }, observed: { call: Observed; read: Observed }) {
    const o = probeResult(observed);
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
    const callee = js`let constructed = 0, makes = 0;
export class ${ident(cls)} extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.serial = ++constructed; }
  [${make!}]() { const serial = this.serial, make = ++makes; let calls = 0; return { [${method!}]: () => ({ serial, make, calls: ++calls }) }; }
  [${count!}]() { return { constructed, makes }; }
}`;
    const body = js`
      const before = await env.S[${count!}]();
      const p = env.S[${make!}]();
      const seen = [];
      for (let i = 0; i < ${pipelined}; i++) seen.push(await observe(() => p[${method!}]()));
      const after = await env.S[${count!}]();
      return respond({ before, seen, after });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check(_c, observed: { before: { constructed: number; makes: number }; seen: Observed[]; after: { constructed: number; makes: number } }) {
    const o = probeResult(observed);
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
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {\n  ${asyncThrow ? js`async ` : js``}[${fail}]() { throw new ${ident(errorClass)}(${message}); }\n}`;
    const reach = lines(path.map((k) => js`[${k}]`), "");
    const body = js`
      const call = await observe(() => env.S[${fail}]()${reach}());
      const read = await observe(() => env.S[${fail}]()${reach});
      const p = env.S[${fail}]();
      const both = [await observe(() => p${reach}()), await observe(() => p)];
      return respond({ call, read, both });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ errorClass, message }, observed: { call: Observed; read: Observed; both: Observed[] }) {
    const o = probeResult(observed);
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
  scenario({ cls, make, value: primitiveValue, name, nested }) {
    const result = nested === undefined ? value(primitiveValue) : js`{ [${nested}]: ${value(primitiveValue)} }`;
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${make}]() { return ${result}; }\n}`;
    const reach = js`${nested === undefined ? js`` : js`[${nested}]`}[${name}]`;
    const body = js`
      const call = await observe(() => env.S[${make}]()${reach}());
      const read = await observe(() => env.S[${make}]()${reach});
      return respond({ call, read });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ name, nested }, observed: { call: Observed; read: Observed }) {
    const o = probeResult(observed);
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
      other.kind === "target" ? js`new Target()` : other.kind === "object" ? js`{ [${method!}]: ${value(other.value)} }` : value(other.value);
    const callee = js`class Target extends RpcTarget {
  [${method!}]() { return "method"; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${fn!}](seed) { return (...args) => ({ seed, args }); }
  [${make!}]() { return ${made}; }
}`;
    const body = js`
      const seed = ${value(seed)}, args = ${value(args)};
      const called = await observe(() => env.S[${fn!}](seed)(...args));
      const notFunction = await observe(() => env.S[${make!}]()(...args));
      ${other.kind === "target" ? js`const stub = await env.S[${make!}](); const stubCalled = await observe(() => stub(...args));` : js`const stubCalled = null;`}
      return respond({ called, notFunction, stubCalled });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ seed, args, other }, observed: { called: Observed; notFunction: Observed; stubCalled: Observed }) {
    const o = probeResult(observed);
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
  scenario({ cls, names: [make, fn, prim, key, method, dataKey, count], data, seed, arg, value: primitiveValue, calls }) {
    const callee = js`let makes = 0;
class Target extends RpcTarget {
  #calls = 0;
  [${method!}](x) { return { x, calls: ++this.#calls }; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { const make = ++makes; return { [${key!}]: { [${method!}]: (x) => ({ x, make }), [${dataKey!}]: ${value(data)} }, [${method!}]: new Target() }; }
  [${fn!}](seed) { const make = ++makes; return (x) => ({ seed, x, make }); }
  [${prim!}]() { return ${value(primitiveValue)}; }
  [${count!}]() { return makes; }
}`;
    const body = js`
      const arg = ${value(arg)};
      const p = env.S[${make!}]();
      await p;
      const viaFunction = await observe(() => p[${key!}][${method!}](arg));
      const viaData = await observe(() => p[${key!}][${dataKey!}]);
      const viaTarget = [];
      for (let i = 0; i < ${calls}; i++) viaTarget.push(await observe(() => p[${method!}][${method!}](arg)));
      const f = env.S[${fn!}](${value(seed)});
      await f;
      const viaCall = await observe(() => f(arg));
      const makes = await env.S[${count!}]();
      const q = env.S[${prim!}]();
      await q;
      const primCall = await observe(() => q[${key!}]());
      const primRead = await observe(() => q[${key!}]);
      const primSelf = await observe(() => q(arg));
      return respond({ viaFunction, viaData, viaTarget, viaCall, makes, primCall, primRead, primSelf });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ data, seed, arg }, observed: { viaTarget: Observed[]; makes: number } & Record<"viaFunction" | "viaData" | "viaCall" | "primCall" | "primRead" | "primSelf", Observed>) {
    const o = probeResult(observed);
    expect(expectValue(o.viaFunction, "a function pipelined on an awaited call"), "its result, from that call's result").to.deep.equal({ x: arg, make: 1 });
    expect(expectValue(o.viaData, "data pipelined on an awaited call"), "the data").to.deep.equal(data);
    o.viaTarget.forEach((r, i) => {
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
    const callee = js`function nested(level) {
  const o = { [${leaf!}]: (x) => ({ level, x }) };
  if (level < 80) o[${step!}] = nested(level + 1);
  return o;
}
const levels = nested(0);
class Target extends RpcTarget {
  get [${step!}]() { return levels; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  get [${step!}]() { return levels; }
  [${make!}]() { return levels; }
  [${makeTarget!}]() { return new Target(); }
}`;
    const start = base === "binding" ? js`env.S` : base === "stub" ? js`await env.S[${makeTarget!}]()` : js`env.S[${make!}]()`;
    const body = js`
      let path = ${start};
      let read = 0, threw = null;
      try {
        for (let i = 0; i < ${length - 1}; i++) { path = path[${step!}]; read++; }
        path = path[${leaf!}]; read++;
      } catch (error) {
        threw = error;
      }
      const reached = threw === null ? await observe(() => ${call ? js`path(read)` : js`path.then((f) => typeof f)`}) : null;
      return respond({ read, threw, reached });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ length, base, call }, observed: { read: number; threw: Error | null; reached: unknown }) {
    const o = probeResult(observed);
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
  source: Source;
  members: string[];
  /** Whether it can be a call's whole result (it serializes). */
  serializable: boolean;
}

const nonPlainKind: fc.Arbitrary<NonPlainKind> = fc.oneof(
  fc.array(jsonLikeValue, { maxLength: 3 }).map((items) => ({ source: value(items), members: ["length", "at", "map"], serializable: true })),
  fc.array(fc.tuple(jsonLikeValue, jsonLikeValue), { maxLength: 2 }).map((entries) => ({ source: js`new Map(${value(entries)})`, members: ["get", "size", "has"], serializable: true })),
  fc.array(jsonLikeValue, { maxLength: 2 }).map((items) => ({ source: js`new Set(${value(items)})`, members: ["has", "size"], serializable: true })),
  fc.integer({ min: 0, max: 2 ** 40 }).map((t) => ({ source: js`new Date(${t})`, members: ["getTime", "toISOString"], serializable: true })),
  fc.constantFrom("RegExp", "Error", "Uint8Array").map((kind) => ({
    source: kind === "RegExp" ? js`/a+/g` : kind === "Error" ? js`new Error("e")` : js`new Uint8Array(3)`,
    members: kind === "RegExp" ? ["source", "test"] : kind === "Error" ? ["message", "name"] : ["length", "byteLength"],
    serializable: true,
  })),
  fc.tuple(className, memberName, memberName).map(([name, field, method]) => ({
    source: js`new (class ${ident(name)} { constructor() { this[${field}] = 1; } [${method}]() { return 2; } })()`,
    members: [field, method],
    serializable: false,
  })),
  memberName.map((key) => ({ source: js`Object.assign(Object.create(null), { [${key}]: () => 1 })`, members: [key], serializable: false })),
  fc.constant<NonPlainKind>({ source: js`new WeakMap()`, members: ["get", "has"], serializable: false }),
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
    const callee = js`class Target extends RpcTarget { get [${getter!}]() { return ${kind.source}; } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${entry!}]() { return ${place === "result" ? kind.source : place === "stub-getter" ? js`new Target()` : js`{ [${key!}]: ${kind.source}, ok: 1 }`}; }
  get [${getter!}]() { return ${place === "getter" ? kind.source : js`{ [${key!}]: ${kind.source} }`}; }
}`;
    const start =
      place === "in-result" ? js`env.S[${entry!}]()[${key!}]`
      : place === "result" ? js`env.S[${entry!}]()`
      : place === "getter" ? js`env.S[${getter!}]`
      : place === "in-getter" ? js`env.S[${getter!}][${key!}]`
      : js`t[${getter!}]`;
    const use = call ? js`${start}[${nextName}]()` : js`${start}[${nextName}]`;
    const body = js`${place === "stub-getter" ? js`const t = await env.S[${entry!}]();` : js``}
      return respond(await observe(() => ${use}));`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ names: [, key, getter], kind, place, next, other, call }, observed) {
    const nextName = next === undefined ? other : kind.members[next % kind.members.length]!;
    const holder = place === "result" ? nextName : place === "getter" || place === "stub-getter" ? getter! : key!;
    expectRpcError(probeResult(observed), `${call ? "calling" : "awaiting"} .${nextName} on ${kind.source} (${place})`, "TypeError", notImplemented(holder));
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
  scenario({ cls, names: [entry, getter, field, method, acc, fnAcc], keys, value: fieldValue, args, place }) {
    let leaf = js`{ [${field!}]: ${value(fieldValue)},
      [${method!}](...args) { return { own: this[${field!}], args }; },
      get [${acc!}]() { return this[${field!}]; },
      get [${fnAcc!}]() { const own = this[${field!}]; return (...args) => ({ own, args }); } }`;
    for (const k of [...keys].reverse()) leaf = js`{ [${k}]: ${leaf} }`;
    const callee = js`class Target extends RpcTarget { get [${getter!}]() { return ${leaf}; } }
export class ${ident(cls)} extends WorkerEntrypoint {
  [${entry!}]() { return ${place === "stub-getter" ? js`new Target()` : leaf}; }
  get [${getter!}]() { return ${leaf}; }
}`;
    const root = place === "result" ? js`env.S[${entry!}]()` : place === "getter" ? js`env.S[${getter!}]` : js`t[${getter!}]`;
    const path = js`${root}${lines(keys.map((k) => js`[${k}]`), "")}`;
    const body = js`${place === "stub-getter" ? js`const t = await env.S[${entry!}]();` : js``}
      const args = ${value(args)};
      return respond({
        method: await observe(() => ${path}[${method!}](...args)),
        acc: await observe(() => ${path}[${acc!}]),
        fnAcc: await observe(() => ${path}[${fnAcc!}](...args)),
      });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ value, args, place }, observed: Record<string, unknown>) {
    const o = probeResult(observed);
    expect(expectValue(o.method, `a method at the end of the path (${place})`), "what it saw on this").to.deep.equal({ own: value, args });
    expect(expectValue(o.acc, `an own getter at the end of the path, awaited (${place})`), "the getter's value").to.deep.equal(value);
    expect(expectValue(o.fnAcc, `an own getter returning a function, called (${place})`), "the function's result").to.deep.equal({ own: value, args });
  },
});

/** The pipelined use must reject with a DataCloneError carrying exactly `message`. */
function expectCloneError(o: Observed, what: string, message: string): void {
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
  scenario({ cls, names: [make, key, method, badKey], bad, value: data, order }) {
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return { [${key!}]: { data: ${value(data)}, [${method!}]() { return this.data; } }, [${badKey!}]: ${code(bad.expression)} }; }
}`;
    const body = js`
      const p = env.S[${make!}]();
      const uses = ${order === "call-first" ? js`[await observe(() => p)]` : js`[]`};
      const call = await observe(() => p[${key!}][${method!}]());
      const read = await observe(() => p[${key!}].data);
      const fresh = await observe(() => env.S[${make!}]()[${key!}][${method!}]());
      return respond({ call, read, fresh, result: await observe(() => p), uses });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ bad, order }, observed: { call: Observed; read: Observed; fresh: Observed; result: Observed }) {
    const o = probeResult(observed);
    expectCloneError(o.result, `the call itself (${bad.expression})`, bad.message);
    expectCloneError(o.call, `a method pipelined on the unsendable result (${order})`, bad.message);
    expectCloneError(o.read, `a read pipelined on the unsendable result (${order})`, bad.message);
    expectCloneError(o.fresh, "a method pipelined on a fresh call", bad.message);
  },
});
