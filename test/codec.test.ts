/**
 * The probe harness codec (conformance/harness/harness.js): round trips, cross-realm values,
 * hostile values, malformed input, `describe`, and the probe-side helpers.
 */
import { expect } from "chai";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import * as vm from "node:vm";
import {
  Opaque, className, decode, describe as render, encode, encodeInput, input, observe, readResponse, respond,
  type Encoded,
} from "../conformance/harness/harness.js";

const NUM_RUNS = 200;
const HARNESS_PATH = new URL("../conformance/harness/harness.js", import.meta.url);

// ---------------------------------------------------------------------------------------------
// Recipes: plain data that fast-check generates and prints; `build` turns one into fresh values
// every time, so adding links (shared refs, cycles) never mutates anything fast-check keeps.

const TYPED_ARRAYS = [
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
].filter((name) => typeof (globalThis as Record<string, unknown>)[name] === "function");
const ERROR_CLASSES = [
  "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError",
  "DOMException", "CustomError",
] as const;

class Point {}
class Box {}
class Sub extends Point {}
class CustomError extends Error {}
const CLASSES = { Point, Box, Sub };

type Props = Array<[string, Recipe]>;
type Boxable = number | string | boolean | bigint | { symbol: string };
type Recipe =
  | { kind: "primitive"; value: unknown }
  | { kind: "symbol"; description: string | undefined }
  | { kind: "date"; time: number }
  | { kind: "regexp"; source: string; flags: string; lastIndex: number }
  | { kind: "boxed"; value: Boxable }
  | { kind: "buffer"; bytes: Uint8Array }
  | { kind: "typed"; type: string; offset: number; length: number; bytes: Uint8Array }
  | { kind: "dataview"; offset: number; length: number; bytes: Uint8Array }
  | { kind: "sharedViews"; type: string; bytes: Uint8Array; withBuffer: boolean }
  | { kind: "opaque"; what: "promise" | "weakmap" }
  | { kind: "object"; props: Props }
  | { kind: "nullProto"; props: Props }
  | { kind: "instance"; cls: keyof typeof CLASSES; props: Props }
  | { kind: "array"; length: number; entries: Array<[number, Recipe]> }
  | { kind: "map"; entries: Array<[Recipe, Recipe]> }
  | { kind: "set"; values: Recipe[] }
  | { kind: "function"; name: string; props: Props }
  | { kind: "error"; cls: (typeof ERROR_CLASSES)[number]; message: string; name: string | null;
      cause: Recipe | null; errors: Recipe[]; props: Props };
/** Adds `containers[to]` into `containers[from]` (indexes taken modulo the container count). */
type Link = [from: number, to: number, key: string];

/** "binary" strings include lone surrogates, which a careless UTF-8 step would turn into U+FFFD. */
const text = fc.string({ unit: "binary", maxLength: 8 });
const key = fc.oneof(fc.constantFrom("a", "b", "__proto__", "constructor", "0", "7", "$", "", "x y"), text);
const bytes = fc.uint8Array({ minLength: 96, maxLength: 96 });
const primitive = fc.oneof(
  text, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.integer(), fc.double(), fc.bigInt(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity),
);

const leaf: fc.Arbitrary<Recipe> = fc.oneof(
  primitive.map((value) => ({ kind: "primitive" as const, value })),
  fc.option(text, { nil: undefined }).map((description) => ({ kind: "symbol" as const, description })),
  fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(NaN)).map((time) => ({ kind: "date" as const, time })),
  fc.record({
    kind: fc.constant("regexp" as const),
    source: fc.constantFrom("a", "a+b", "[x-z]*", "\\d{2}", "(?:x|y)", "(?:)", "\\/", "é"),
    flags: fc.subarray(["d", "g", "i", "m", "s", "u", "y"]).map((flags) => flags.join("")),
    lastIndex: fc.nat(10),
  }),
  fc.oneof(fc.double(), text, fc.boolean(), fc.bigInt(), fc.record({ symbol: text }))
    .map((value) => ({ kind: "boxed" as const, value })),
  fc.uint8Array({ maxLength: 20 }).map((b) => ({ kind: "buffer" as const, bytes: b })),
  fc.record({ kind: fc.constant("typed" as const), type: fc.constantFrom(...TYPED_ARRAYS), offset: fc.nat(3), length: fc.nat(6), bytes }),
  fc.record({ kind: fc.constant("dataview" as const), offset: fc.nat(4), length: fc.nat(8), bytes }),
  fc.record({ kind: fc.constant("sharedViews" as const), type: fc.constantFrom(...TYPED_ARRAYS), bytes, withBuffer: fc.boolean() }),
  fc.constantFrom("promise" as const, "weakmap" as const).map((what) => ({ kind: "opaque" as const, what })),
);

const tree = fc.letrec<{ recipe: Recipe; node: Recipe }>((tie) => {
  const child = tie("recipe");
  const props = fc.array(fc.tuple(key, child), { maxLength: 4 });
  return {
    recipe: fc.oneof({ depthSize: "small", maxDepth: 4 }, leaf, tie("node")),
    node: fc.oneof(
      props.map((p) => ({ kind: "object" as const, props: p })),
      props.map((p) => ({ kind: "nullProto" as const, props: p })),
      fc.record({ kind: fc.constant("instance" as const), cls: fc.constantFrom("Point" as const, "Box" as const, "Sub" as const), props }),
      fc.sparseArray(child, { maxLength: 8 }).map((array) => ({
        kind: "array" as const,
        length: array.length,
        entries: Object.keys(array).map((i): [number, Recipe] => [Number(i), array[Number(i)]]),
      })),
      fc.array(fc.tuple(child, child), { maxLength: 3 }).map((entries) => ({ kind: "map" as const, entries })),
      fc.array(child, { maxLength: 3 }).map((values) => ({ kind: "set" as const, values })),
      fc.record({ kind: fc.constant("function" as const), name: fc.constantFrom("", "f", "call me"), props }),
      fc.record({
        kind: fc.constant("error" as const),
        cls: fc.constantFrom(...ERROR_CLASSES),
        message: text,
        name: fc.option(fc.constantFrom("AbortError", "Custom", "")),
        cause: fc.option(child),
        errors: fc.array(child, { maxLength: 2 }),
        props,
      }),
    ),
  };
});

/** Roots are mostly containers: a lone leaf says little about aliasing. */
const recipe = fc.oneof({ arbitrary: tree.node, weight: 4 }, { arbitrary: tree.recipe, weight: 1 });
const links = fc.array(fc.tuple(fc.nat(), fc.nat(), key), { maxLength: 4 });

function build(root: Recipe, linkList: Link[]): unknown {
  const containers: object[] = [];
  const define = (target: object, entries: Props) => {
    for (const [k, v] of entries) Object.defineProperty(target, k, { value: make(v), writable: true, enumerable: true, configurable: true });
    return target;
  };
  const container = <T extends object>(value: T) => (containers.push(value), value);
  const bufferOf = (source: Uint8Array, size: number) => source.slice(0, size).buffer;

  function make(r: Recipe): unknown {
    switch (r.kind) {
      case "primitive": return r.value;
      case "symbol": return Symbol(r.description);
      case "date": return new Date(r.time);
      case "regexp": return Object.assign(new RegExp(r.source, r.flags), { lastIndex: r.lastIndex });
      case "boxed": return Object(typeof r.value === "object" ? Symbol(r.value.symbol) : r.value);
      case "buffer": return r.bytes.slice().buffer;
      case "typed": {
        const Ctor = (globalThis as any)[r.type];
        const size = Ctor.BYTES_PER_ELEMENT;
        return new Ctor(bufferOf(r.bytes, (r.offset + r.length + 1) * size), r.offset * size, r.length);
      }
      case "dataview": return new DataView(bufferOf(r.bytes, r.offset + r.length + 2), r.offset, r.length);
      case "sharedViews": {
        const buffer = bufferOf(r.bytes, 32);
        const Ctor = (globalThis as any)[r.type];
        const views = [new Ctor(buffer, 8, 8 / Ctor.BYTES_PER_ELEMENT), new DataView(buffer, 4, 12)];
        return r.withBuffer ? [...views, buffer] : views;
      }
      case "opaque": return r.what === "promise" ? Promise.resolve(1) : new WeakMap();
      case "object": return define(container({}), r.props);
      case "nullProto": return define(container(Object.create(null)), r.props);
      case "instance": return define(container(new CLASSES[r.cls]()), r.props);
      case "array": {
        const array = container(new Array(r.length));
        for (const [i, v] of r.entries) array[i] = make(v);
        return array;
      }
      case "map": {
        const map = container(new Map());
        for (const [k, v] of r.entries) map.set(make(k), make(v));
        return map;
      }
      case "set": return container(new Set(r.values.map(make)));
      case "function": {
        const fn = container(function () {});
        Object.defineProperty(fn, "name", { value: r.name });
        return define(fn, r.props);
      }
      case "error": return define(container(makeError(r, make)), r.props);
    }
  }
  const value = make(root);
  for (const [from, to, k] of linkList) {
    if (containers.length === 0) break;
    const target = containers[from % containers.length];
    const ref = containers[to % containers.length];
    if (target instanceof Map) target.set(k.length % 2 ? k : ref, ref);
    else if (target instanceof Set) target.add(ref);
    else if (Array.isArray(target)) target.push(ref);
    else Object.defineProperty(target, k, { value: ref, writable: true, enumerable: true, configurable: true });
  }
  return value;
}

function makeError(r: Extract<Recipe, { kind: "error" }>, make: (r: Recipe) => unknown): Error {
  const options = r.cause === null ? undefined : { cause: make(r.cause) };
  let error: Error;
  if (r.cls === "AggregateError") error = new AggregateError(r.errors.map(make), r.message, options);
  else if (r.cls === "DOMException") error = new DOMException(r.message, r.name ?? "AbortError");
  else if (r.cls === "CustomError") error = new CustomError(r.message, options);
  else error = new (globalThis as any)[r.cls](r.message, options);
  if (r.cls === "DOMException" && options) Object.defineProperty(error, "cause", { value: options.cause, writable: true, configurable: true });
  if (r.name !== null && r.cls !== "DOMException") error.name = r.name;
  return error;
}

// ---------------------------------------------------------------------------------------------
// Structural equality: same kinds and class names, Object.is on primitives (so -0 and NaN count),
// same holes, same own props, and the same aliasing pattern (a bijection between objects).

const tagOf = (value: unknown) => Object.prototype.toString.call(value);
const show = (value: unknown) => (Object.is(value, -0) ? "-0" : String(value));
const OPAQUE_TAGS = ["[object Promise]", "[object WeakMap]"];

function expectSameShape(actual: unknown, expected: unknown): void {
  const forward = new Map<unknown, unknown>();
  const backward = new Map<unknown, unknown>();
  const walk = (a: any, e: any, path: string): void => {
    const check = (ok: boolean, what: string) => {
      if (!ok) expect.fail(`${what} at ${path}`);
    };
    check(typeof a === typeof e, `typeof ${typeof a} vs ${typeof e}`);
    if (typeof e === "symbol") return check(a.description === e.description, "symbol description");
    if (e === null || (typeof e !== "object" && typeof e !== "function")) return check(Object.is(a, e), `${show(a)} vs ${show(e)}`);
    if (forward.has(e)) return check(forward.get(e) === a, "aliasing differs (expected the same object as before)");
    check(!backward.has(a), "aliasing differs (one decoded object stands for two originals)");
    forward.set(e, a);
    backward.set(a, e);
    if (OPAQUE_TAGS.includes(tagOf(e))) return check(a instanceof Opaque && a.tag === tagOf(e), "opaque placeholder");
    check(className(a) === className(e), `class ${className(a)} vs ${className(e)}`);
    check(tagOf(a) === tagOf(e), `tag ${tagOf(a)} vs ${tagOf(e)}`);
    const ownKeys = (o: object, all = false) => (all ? Object.getOwnPropertyNames(o) : Object.keys(o));
    const sameProps = (skip: string[] = [], all = false) => {
      const keys = ownKeys(e, all).filter((k) => !skip.includes(k));
      check(JSON.stringify(ownKeys(a, all).filter((k) => !skip.includes(k))) === JSON.stringify(keys), "own keys");
      for (const k of keys) {
        check(Object.getOwnPropertyDescriptor(a, k)!.enumerable === Object.getOwnPropertyDescriptor(e, k)!.enumerable, `enumerability of ${k}`);
        walk(a[k], e[k], `${path}.${k}`);
      }
    };
    if (Array.isArray(e)) return check(a.length === e.length, "length"), sameProps();
    if (e instanceof Date) return check(Object.is(a.getTime(), e.getTime()), "time");
    if (e instanceof RegExp) return check(a.source === e.source && a.flags === e.flags, "regexp"), walk(a.lastIndex, e.lastIndex, `${path}.lastIndex`);
    if (e instanceof Map) {
      check(a.size === e.size, "map size");
      const [as, es] = [[...a], [...e]];
      return es.forEach(([k, v], i) => (walk(as[i][0], k, `${path}@key[${i}]`), walk(as[i][1], v, `${path}@value[${i}]`)));
    }
    if (e instanceof Set) return check(a.size === e.size, "set size"), [...e].forEach((v, i) => walk([...a][i], v, `${path}@value[${i}]`));
    if (["[object Number]", "[object String]", "[object Boolean]", "[object BigInt]", "[object Symbol]"].includes(tagOf(e))) {
      return walk(a.valueOf(), e.valueOf(), `${path}.valueOf()`);
    }
    if (e instanceof ArrayBuffer) return check(Buffer.from(a).equals(Buffer.from(e)), "bytes");
    if (ArrayBuffer.isView(e)) {
      const size = (v: any) => (v instanceof DataView ? v.byteLength : v.length);
      check(a.byteOffset === e.byteOffset && size(a) === size(e), "view window");
      return walk(a.buffer, e.buffer, `${path}.buffer`);
    }
    if (e instanceof Error) {
      walk(a.name, e.name, `${path}.name`);
      walk(a.message, e.message, `${path}.message`);
      return sameProps(["stack", "message", "name"], true);
    }
    if (typeof e === "function") return check(a.name === e.name, "function name"), sameProps();
    check((Object.getPrototypeOf(a) === null) === (Object.getPrototypeOf(e) === null), "null prototype");
    sameProps();
  };
  walk(actual, expected, "$");
}

const roundTrip = (value: unknown) => decode(JSON.parse(JSON.stringify(encode(value))));

// ---------------------------------------------------------------------------------------------

describe("harness codec", () => {
  it("round-trips every kind of value through JSON, and re-encodes decoded values identically", () => {
    fc.assert(
      fc.property(recipe, links, (r, l) => {
        const value = build(r, l);
        const encoded = encode(value);
        const decoded = decode(JSON.parse(JSON.stringify(encoded)));
        expectSameShape(decoded, value);
        expect(encode(decoded)).to.deep.equal(encoded);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("writes standard base64 for buffers, whatever their length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const encoded = encode(bytes.slice().buffer) as { base64: string };
        expect(encoded.base64).to.equal(Buffer.from(bytes).toString("base64"));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("keeps aliasing: cycles and shared references decode to the same objects", () => {
    const r: any = { name: "r" };
    r.self = r;
    const o = { x: 1 };
    const shared: any = roundTrip({ r, pair: [o, o], map: new Map([[o, o]]) });
    expect(shared.r.self).to.equal(shared.r);
    expect(shared.pair[0]).to.equal(shared.pair[1]);
    expect([...shared.map][0][0]).to.equal(shared.pair[0]);
    expect(shared.map.get(shared.pair[0])).to.equal(shared.pair[0]);

    const buffer = new ArrayBuffer(8);
    const [bytes, view] = roundTrip([new Uint8Array(buffer, 2, 4), new DataView(buffer, 4)]) as [Uint8Array, DataView];
    expect(bytes.buffer).to.equal(view.buffer);
    view.setUint8(0, 9);
    expect(bytes[2]).to.equal(9);
  });

  it("keeps -0, NaN, undefined, holes and huge sparse lengths", () => {
    const decoded = roundTrip([-0, NaN, undefined, 10n, [1, , 3]]) as unknown[];
    expect(Object.is(decoded[0], -0)).to.equal(true);
    expect(decoded[1]).to.be.NaN;
    expect(decoded).to.have.length(5).and.to.have.property("2", undefined);
    expect(Object.keys(decoded[4] as unknown[])).to.deep.equal(["0", "2"]);
  });

  it("decodes errors to the realm's own constructors, with props, cause and no stack", () => {
    const error = Object.assign(new RangeError("out", { cause: new Error("inner") }), { remote: true, code: 7 });
    const decoded = roundTrip(error) as RangeError & { remote: boolean; code: number };
    expect(decoded).to.be.instanceOf(RangeError);
    expect(decoded.message).to.equal("out");
    expect(decoded).to.include({ remote: true, code: 7 });
    expect((decoded.cause as Error).message).to.equal("inner");
    expect(Object.getOwnPropertyDescriptor(decoded, "cause")!.enumerable).to.equal(false);
    expect(Object.getOwnPropertyNames(decoded)).not.to.include("stack");

    const custom = roundTrip(new CustomError("c")) as Error;
    expect(custom).to.be.instanceOf(Error);
    expect(custom.constructor.name).to.equal("CustomError");
    const aggregate = roundTrip(new AggregateError([1, new TypeError("t")], "agg")) as AggregateError;
    expect(aggregate).to.be.instanceOf(AggregateError);
    expect(aggregate.errors[1]).to.be.instanceOf(TypeError);
  });

  it("decodes class instances to synthetic classes of the same name, and functions to throwing placeholders", () => {
    const point = roundTrip(Object.assign(new Point(), { x: 1 })) as object;
    expect(point.constructor.name).to.equal("Point");
    expect(className(point)).to.equal("Point");
    expect(className(roundTrip(Object.create(null)))).to.equal(null);

    const fn = roundTrip(Object.assign(function handler() {}, { tag: "t" })) as (() => void) & { tag: string };
    expect(fn.name).to.equal("handler");
    expect(fn.tag).to.equal("t");
    expect(() => fn()).to.throw(TypeError, "decoded function placeholder");

    const opaque = roundTrip(new WeakMap());
    expect(opaque).to.be.instanceOf(Opaque).and.to.include({ typeof: "object", tag: "[object WeakMap]", className: "WeakMap" });
    expect(Object.isFrozen(opaque)).to.equal(true);
  });

  it("decodes a typed array type this realm lacks (Float16Array on Node 20) to a labelled Opaque", () => {
    const buffer = { $: "arraybuffer", id: 3, base64: "AD4=" } as const;
    const view = { $: "typedarray", id: 2, type: "Float16Array", buffer, byteOffset: 0, length: 1 } as const;
    const [decodedView, decodedBuffer] = decode({ $: "array", id: 1, length: 2, items: [view, { $: "ref", id: 3 }] }) as [any, ArrayBuffer];
    expect(decodedBuffer).to.be.instanceOf(ArrayBuffer);
    if (typeof (globalThis as Record<string, unknown>).Float16Array === "function") {
      expect(decodedView.buffer).to.equal(decodedBuffer);
    } else {
      expect(decodedView).to.be.instanceOf(Opaque).and.to.include({ className: "Float16Array", note: "Float16Array is not available in this runtime" });
    }
  });

  it("encodes values from another realm exactly like same-realm values", () => {
    const source = `({
      plain: { a: 1, b: [1, , 3], c: { d: "x" } },
      nullProto: Object.assign(Object.create(null), { k: 1 }),
      instance: new (class Point { constructor() { this.x = 1; } })(),
      error: Object.assign(new TypeError("boom", { cause: -0 }), { code: 7 }),
      aggregate: new AggregateError([new Error("e")], "agg"),
      map: new Map([[1, { x: 1 }], ["k", new Set([1n])]]),
      date: new Date(0),
      invalidDate: new Date(NaN),
      regexp: /a+/giy,
      boxed: [new Number(1), new String("s"), new Boolean(false), Object(2n)],
      typed: [new Uint8Array([1, 2, 3]), new Float64Array([1.5, -0]), new BigInt64Array([-1n])],
      view: new DataView(new ArrayBuffer(4), 1, 2),
    })`;
    const foreign = vm.runInNewContext(source) as Record<string, unknown>;
    const local = new Function(`return ${source}`)() as Record<string, unknown>;
    expect(Object.getPrototypeOf(foreign.plain)).not.to.equal(Object.prototype);
    for (const k of Object.keys(local)) expect(encode(foreign[k]), k).to.deep.equal(encode(local[k]));
  });

  it("runs unchanged inside a vm context, with no imports and no Node APIs", () => {
    const source = readFileSync(HARNESS_PATH, "utf8");
    expect(source).not.to.match(/^\s*import\b|\brequire\(|\bBuffer[.(]|\bprocess\./m);
    const inVm = vm.runInNewContext(`${source.replace(/^export /gm, "")}\n({ encode, decode });`) as {
      encode: typeof encode;
      decode: typeof decode;
    };
    const value = { a: [1, , -0], m: new Map([[1n, new Date(0)]]), e: new TypeError("t"), u: new Uint16Array([7]) };
    expect(inVm.encode(value)).to.deep.equal(encode(value));
    expectSameShape(decode(inVm.encode(inVm.decode(encode(value)))), value);
  });
});

describe("harness encode never throws", () => {
  const opaqueNote = (encoded: Encoded) => (encoded as { $: string; note?: string }).note ?? "";

  it("turns a throwing getter into an opaque slot and keeps the rest", () => {
    const hostile = { ok: 1, get boom() { throw new Error("no"); } };
    const decoded = roundTrip(hostile) as { ok: number; boom: Opaque };
    expect(decoded.ok).to.equal(1);
    expect(decoded.boom).to.be.instanceOf(Opaque);
    expect(decoded.boom.note).to.equal('reading "boom" threw Error: no');
  });

  it("survives revoked proxies, throwing traps, tags and constructor getters", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const thrower = () => {
      throw new Error("trap");
    };
    const trapped = new Proxy({}, { get: thrower, ownKeys: thrower, getPrototypeOf: thrower, getOwnPropertyDescriptor: thrower });
    class Shy {}
    Object.defineProperty(Shy.prototype, "constructor", { get: thrower });
    const ownConstructorGetter = Object.defineProperty({}, "constructor", { get: thrower, enumerable: true });
    const badTag = { get [Symbol.toStringTag]() { return thrower(); } };
    const badError = Object.defineProperty(new Error("x"), "name", { get: thrower });
    const unprintable = { get x() { throw Object.defineProperty({}, "name", { get: thrower }); } };

    for (const value of [proxy, trapped, new Shy(), ownConstructorGetter, badTag, badError, unprintable, [proxy, { proxy }]]) {
      const encoded = encode(value);
      expect(() => JSON.stringify(encoded)).not.to.throw();
      expect(() => decode(JSON.parse(JSON.stringify(encoded)))).not.to.throw();
      expect(() => render(encoded)).not.to.throw();
    }
    expect(opaqueNote(encode(proxy))).to.match(/^encoding threw TypeError: .*revoked/);
    expect(encode(new Shy())).to.deep.include({ $: "object", class: "" });
    const [[, slot]] = (encode(unprintable) as { props: Array<[string, Encoded]> }).props;
    expect(opaqueNote(slot)).to.equal('reading "x" threw an unprintable exception');
  });

  it("encodes a sparse array of length 2**32-1 by its own keys, quickly", () => {
    const sparse: number[] = [];
    sparse.length = 2 ** 32 - 1;
    sparse[3] = 1;
    sparse[2 ** 32 - 2] = 2;
    const started = performance.now();
    const decoded = roundTrip(sparse) as number[];
    expect(render(encode(sparse))).to.equal("[<3 holes>, 1, <4294967290 holes>, 2]");
    expect(performance.now() - started).to.be.below(100);
    expect(decoded.length).to.equal(2 ** 32 - 1);
    expect(Object.keys(decoded)).to.deep.equal(["3", String(2 ** 32 - 2)]);
  });

  it("caps nesting depth instead of overflowing the stack", () => {
    let deep: unknown[] = [];
    const root = deep;
    for (let i = 0; i < 20_000; i++) deep = (deep[0] = []) as unknown[];
    const text = JSON.stringify(encode(root));
    expect(text).to.include("nested deeper than 512 levels");
    expect(() => decode(JSON.parse(text))).not.to.throw();
  });
});

describe("harness decode rejects malformed input", () => {
  const cases: Array<[string, unknown, string]> = [
    ["an unknown tag", { $: "nope", id: 1 }, 'unknown tag "nope" at $'],
    ["a missing tag", { id: 1 }, "unknown tag undefined at $"],
    ["a dangling ref", { $: "array", id: 1, length: 1, items: [{ $: "ref", id: 9 }] }, "dangling ref #9 at $[0]"],
    ["a duplicate id", { $: "array", id: 1, length: 1, items: [{ $: "object", id: 1, props: [] }] }, "duplicate id #1 at $[0]"],
    ["a node without an id", { $: "object", props: [] }, '"object" node without an integer id at $'],
    ["a missing field", { $: "object", id: 1 }, '"object" node needs array field "props" at $'],
    ["a bare array", [1, 2], "unexpected bare array at $"],
    ["undefined", undefined, "unexpected undefined at $"],
    ["a bad special number", { $: "number", value: "12" }, 'bad number "12" at $'],
    ["a bad bigint", { $: "bigint", value: "1.5" }, 'bad bigint "1.5" at $'],
    ["bad base64", { $: "arraybuffer", id: 1, base64: "abc" }, "malformed base64 at $"],
    ["an unknown typed array", { $: "typedarray", id: 1, type: "Object", buffer: null, byteOffset: 0, length: 0 }, "unsupported typed array Object at $"],
    ["a view past its buffer", { $: "dataview", id: 1, buffer: { $: "arraybuffer", id: 2, base64: "" }, byteOffset: 0, byteLength: 4 },
      "DataView does not fit its buffer at $"],
    ["a nested bad prop", { $: "object", id: 1, props: [["a b", { $: "what" }]] }, 'unknown tag "what" at $["a b"]'],
    ["an array entry out of range", { $: "array", id: 1, length: 1, entries: [[5, 1]] }, "bad array entry at $"],
  ];
  for (const [what, encoded, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => decode(encoded)).to.throw(TypeError, `harness.decode: ${message}`);
    });
  }
});

describe("harness describe", () => {
  const examples: Array<[unknown, string]> = [
    [Object.assign(new TypeError('The RPC receiver does not implement the method "x".'), { remote: true }),
      'TypeError("The RPC receiver does not implement the method \\"x\\".") {remote: true}'],
    [new Map([[1, "a"]]), 'Map(1) {1 => "a"}'],
    [-0, "-0"],
    [undefined, "undefined"],
    [[1, , 3], "[1, <hole>, 3]"],
    [new Set([1n]), "Set(1) {1n}"],
    [{ "a b": NaN, c: Symbol("s") }, '{"a b": NaN, c: Symbol(s)}'],
    [Object.assign(new Point(), { x: 1 }), "Point {x: 1}"],
    [Object.create(null), "[Object: null prototype] {}"],
    [new Date(0), "Date(1970-01-01T00:00:00.000Z)"],
    [new Date(NaN), "Date(Invalid Date)"],
    [new Float32Array([1.5, -0]), "Float32Array(2) [1.5, -0]"],
    [new Number(3), "Object(3)"],
    [function named() {}, "[Function: named]"],
    [Promise.resolve(), "<opaque Promise>"],
    [Object.assign(new Error("m"), { name: "Custom" }), 'Error("m") {name: "Custom"}'],
  ];
  for (const [value, text] of examples) {
    it(`renders ${text}`, () => expect(render(encode(value))).to.equal(text));
  }

  it("labels shared objects and renders refs to them", () => {
    const o: any = { a: 1 };
    o.self = o;
    expect(render(encode([o, o]))).to.equal("[<#2> {a: 1, self: <ref #2>}, <ref #2>]");
  });

  it("caps long output with an ellipsis", () => {
    const text = render(encode(Array.from({ length: 5000 }, (_, i) => i)));
    expect(text).to.have.length(2001);
    expect(text.endsWith("…")).to.equal(true);
  });

  it("renders malformed input instead of throwing", () => {
    expect(render({ $: "nope" } as unknown as Encoded)).to.equal("<malformed>");
    expect(render({ $: "map", id: 1, entries: [1] } as unknown as Encoded)).to.equal("Map(1) {<malformed>");
    expect(render({ $: "date", id: 1, time: 1e300 } as unknown as Encoded)).to.equal("<malformed>");
  });
});

describe("harness probe helpers", () => {
  it("observe reports values, thenables, async rejections and sync throws apart", async () => {
    expect(await observe(() => 1)).to.deep.equal({ ok: true, value: 1 });
    const thenable = { then: (resolve: (v: number) => void) => resolve(42) } as PromiseLike<number>;
    expect(await observe(() => thenable)).to.deep.equal({ ok: true, value: 42 });
    const boom = new Error("boom");
    expect(await observe(() => Promise.reject(boom))).to.deep.equal({ ok: false, error: boom });
    expect(await observe(() => { throw boom; })).to.deep.equal({ ok: false, error: boom, sync: true });
  });

  it("respond and readResponse round-trip a result, lone surrogates included", async () => {
    const response = respond({ value: -0, list: [1, , 3], text: "a\uD800b" });
    expect(response.headers.get("content-type")).to.equal("application/json");
    const result = (await readResponse(response)) as { value: number; list: number[]; text: string };
    expect(result.text).to.equal("a\uD800b");
    expect(Object.is(result.value, -0)).to.equal(true);
    expect(1 in result.list).to.equal(false);
  });

  it("readResponse explains what came back when a probe crashed", async () => {
    const crash = new Response(`<html>Worker threw exception ${"x".repeat(1000)}`, { status: 500 });
    const error = await readResponse(crash).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.match(/HTTP 500.*<html>Worker threw exception/);
    expect(error!.message.length).to.be.below(650);
    const shouldReject = () => expect.fail("readResponse should have rejected");
    await readResponse(new Response("not json")).then(shouldReject, (e: Error) => expect(e.message).to.include("not JSON (HTTP 200)"));
    await readResponse(new Response('{"result":1}')).then(shouldReject, (e: Error) => expect(e.message).to.include("harness marker"));
  });

  it("encodeInput yields a string literal that input() decodes", () => {
    const value = { when: new Date(0), big: 2n ** 70n, text: "</script>\u2028" };
    const literal = encodeInput(value);
    const text = new Function(`return ${literal};`)() as string;
    expectSameShape(input(text), value);
  });
});
