import { expect } from "chai";
import fc from "fast-check";
import { hostRealm, WorkerRealm } from "../../reference/loading/realm.ts";
import { configureBoundary, MESSAGE_SIZE_LIMIT, Copier } from "../../reference/copy/serialize.ts";

describe("reference: copier (cross-realm copy)", () => {
  const realm = new WorkerRealm("dest");
  const other = new WorkerRealm("source");
  const copier = new Copier();
  const toRealm = (value: unknown) => copier.copy(value, realm);
  const I = realm.intrinsics;
  /** A value built inside the `source` realm by evaluating `expression` there. */
  const fromOther = (expression: string) => other.evaluate(`(${expression})`, "source.js");

  it("keeps primitives exactly: undefined, -0, NaN, bigint, lone surrogates", () => {
    for (const value of [undefined, null, true, 0, -0, NaN, Infinity, 1.5, 10n, -(2n ** 70n), "", "x", "\uD800", "a\uDC00b"]) {
      expect(Object.is(toRealm(value), value), String(value)).to.equal(true);
    }
  });

  it("builds every object with the destination realm's constructors", () => {
    const copy = toRealm({
      o: { a: 1 },
      a: [1, 2],
      d: new Date(5),
      r: /x+/gi,
      m: new Map([[1, 2]]),
      s: new Set([1]),
      b: new ArrayBuffer(4),
      u: new Uint16Array([1, 2]),
      v: new DataView(new ArrayBuffer(2)),
      e: new RangeError("r"),
    }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).to.equal(I.ObjectPrototype);
    expect(copy.o).to.be.instanceOf(I.Object).and.not.instanceOf(Object);
    expect(copy.a).to.be.instanceOf(I.Array);
    expect(copy.d).to.be.instanceOf(I.Date);
    expect((copy.d as Date).getTime()).to.equal(5);
    expect(copy.r).to.be.instanceOf(I.RegExp);
    expect([(copy.r as RegExp).source, (copy.r as RegExp).flags]).to.deep.equal(["x+", "gi"]);
    expect(copy.m).to.be.instanceOf(I.Map);
    expect(copy.s).to.be.instanceOf(I.Set);
    expect(copy.b).to.be.instanceOf(I.ArrayBuffer);
    expect(copy.u).to.be.instanceOf(I.typedArrays.Uint16Array);
    expect(copy.v).to.be.instanceOf(I.DataView);
    expect(copy.e).to.be.instanceOf(I.errors.RangeError);
    expect((copy.e as Error).message).to.equal("r");
  });

  it("copies rather than shares: mutating the copy leaves the original alone", () => {
    const original = { nested: { x: 1 }, list: [1], bytes: new Uint8Array([1]) };
    const copy = toRealm(original) as typeof original;
    copy.nested.x = 2;
    copy.list.push(2);
    copy.bytes[0] = 9;
    expect(original).to.deep.equal({ nested: { x: 1 }, list: [1], bytes: new Uint8Array([1]) });
  });

  it("preserves shared references and cycles, also across arguments", () => {
    const shared = { s: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    const map = new Map<unknown, unknown>();
    map.set(map, map);
    const copy = toRealm({ cyclic, map }) as { cyclic: Record<string, unknown>; map: Map<unknown, unknown> };
    expect(copy.cyclic.self).to.equal(copy.cyclic);
    expect(copy.cyclic.shared).to.equal(copy.cyclic.again);
    expect(copy.map.get(copy.map)).to.equal(copy.map);
    const [a, b] = copier.copyArguments([shared, shared], realm);
    expect(a).to.equal(b).and.not.equal(shared);
  });

  it("keeps holes, extra array properties and views sharing one buffer", () => {
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const copy = toRealm(sparse) as unknown[];
    expect(copy.length).to.equal(3);
    expect(1 in copy).to.equal(false);
    const buffer = new ArrayBuffer(8);
    const views = toRealm([new Uint8Array(buffer, 2, 4), new DataView(buffer)]) as [Uint8Array, DataView];
    expect(views[0].buffer).to.equal(views[1].buffer);
    expect([views[0].byteOffset, views[0].length]).to.deep.equal([2, 4]);
  });

  it("copies values that live in another worker's realm", () => {
    const copy = toRealm(fromOther(`{ list: [new Date(1), new Map([["k", { v: 1 }]])], err: new TypeError("t") }`)) as {
      list: [Date, Map<string, object>];
      err: Error;
    };
    expect(copy.list).to.be.instanceOf(I.Array);
    expect(copy.list[0]).to.be.instanceOf(I.Date);
    expect(copy.list[1].get("k")).to.be.instanceOf(I.Object);
    expect(copy.err).to.be.instanceOf(I.errors.TypeError);
  });

  it("turns errors into the built-in named by `name`, keeping message and stack only", () => {
    const custom = new (class MyError extends RangeError {})("m");
    const renamed = Object.assign(new TypeError("n"), { name: "Mine", extra: 1 });
    const [a, b] = copier.copyArguments([custom, renamed], realm) as [Error, Error & { extra?: number }];
    expect(a).to.be.instanceOf(I.errors.RangeError);
    expect(b).to.be.instanceOf(I.errors.Error);
    expect([b.name, b.message, b.extra]).to.deep.equal(["Error", "n", undefined]);
    expect(a.stack).to.equal(custom.stack);
  });

  it("refuses functions, symbols, class instances, null-prototype objects and promises", () => {
    const cases: [unknown, RegExp][] = [
      [() => 1, /could not be cloned/],
      [Symbol("s"), /Symbol\(s\) could not be cloned/],
      [{ nested: [new (class Foo {})()] }, /Could not serialize object of type "Foo"/],
      [Object.create(null), /Could not serialize object of type "Object"/],
      [Promise.resolve(1), /^#<Promise> could not be cloned\.$/],
      [new WeakMap(), /^#<WeakMap> could not be cloned\.$/],
      [Object(Symbol("b")), /^\[object Symbol\] could not be cloned\.$/],
      [fromOther("new (class Bar {})()"), /"Bar"/],
    ];
    for (const [value, message] of cases) {
      expect(() => toRealm(value), String(message)).to.throw(DOMException, message).with.property("name", "DataCloneError");
    }
  });

  it("round-trips anything structured-cloneable (property)", () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withBoxedValues: true,
          withNullPrototype: false,
          withObjectString: false,
        }),
        (value) => {
          const there = copier.copy(value, realm);
          const back = copier.copy(there, hostRealm);
          // fc.stringify prints types faithfully (-0, holes, boxed values, typed arrays, Invalid
          // Date — which isDeepStrictEqual would call unequal to itself).
          return fc.stringify(back) === fc.stringify(value);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("resets a RegExp's lastIndex and keeps each view's window over one shared buffer", () => {
    const re = /x/g;
    re.lastIndex = 4;
    expect((toRealm(re) as RegExp).lastIndex).to.equal(0);
    const buffer = new ArrayBuffer(16);
    const [a, b] = toRealm([new Int16Array(buffer, 4, 2), new DataView(buffer, 3, 5)]) as [Int16Array, DataView];
    expect([a.byteOffset, a.length, b.byteOffset, b.byteLength]).to.deep.equal([4, 2, 3, 5]);
    expect(a.buffer).to.equal(b.buffer);
  });

  it("copies error values in the legacy or the enhanced format, per the destination's compatibility date", () => {
    const legacy = new WorkerRealm("legacy");
    const enhanced = new WorkerRealm("enhanced");
    configureBoundary(legacy, { compatibilityDate: "2024-04-03", compatibilityFlags: [] });
    configureBoundary(enhanced, { compatibilityDate: "2026-04-21", compatibilityFlags: [] });
    const error = Object.assign(new TypeError("m", { cause: "c" }), { extra: 1, name: "Custom" });
    const a = copier.copy(error, legacy) as Error & Record<string, unknown>;
    expect([a.constructor.name, a.name, a.message, a.cause, a.extra]).to.deep.equal(["Error", "Error", "m", "c", undefined]);
    expect(Object.getOwnPropertyDescriptor(a, "cause")?.enumerable).to.equal(false);
    const b = copier.copy(error, enhanced) as Error & Record<string, unknown>;
    expect([b.constructor.name, b.name, b.message, b.cause, b.extra]).to.deep.equal(["Error", "Custom", "m", "c", 1]);
    expect(Object.keys(b)).to.include.members(["name", "cause", "extra"]);
    const aggregate = copier.copy(new AggregateError([new RangeError("r")], "agg"), enhanced) as AggregateError;
    expect(aggregate).to.be.instanceOf(enhanced.intrinsics.AggregateError);
    expect(aggregate.errors[0]).to.be.instanceOf(enhanced.intrinsics.errors.RangeError);
    expect(copier.copy(new AggregateError([], "agg"), legacy)).to.be.instanceOf(legacy.intrinsics.errors.Error);
    // A flag overrides the date.
    configureBoundary(legacy, { compatibilityDate: "2026-11-17", compatibilityFlags: ["legacy_error_serialization"] });
    expect((copier.copy(error, legacy) as Record<string, unknown>).extra).to.equal(undefined);
  });

  it("refuses a message over 32 MiB with workerd's error, counting every argument", () => {
    const big = new Uint8Array(MESSAGE_SIZE_LIMIT + 1);
    expect(() => toRealm(big)).to.throw(Error, /^Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: \d+ bytes\.$/);
    const half = new Uint8Array(MESSAGE_SIZE_LIMIT / 2);
    expect(() => copier.copyArguments([half, new Uint8Array(MESSAGE_SIZE_LIMIT / 2)], realm)).to.throw(/limited to 32MiB/);
    expect(() => copier.copyArguments([new Uint8Array(MESSAGE_SIZE_LIMIT - 1024)], realm)).to.not.throw();
  });

  it("LIMIT-STRING-SIZE: counts a string one byte per code unit up to U+00FF, two otherwise", () => {
    const units = MESSAGE_SIZE_LIMIT / 2 + 16;
    expect(() => toRealm("\u20ac".repeat(units))).to.throw(/limited to 32MiB/);
    expect(() => copier.copyArguments(["\u00e9".repeat(units)], realm)).to.not.throw();
    expect(() => toRealm(["x\u0100".repeat(units / 2)])).to.throw(/limited to 32MiB/);
  });

  it("DOMException values keep name and message, not the program's own properties", () => {
    const copy = toRealm(Object.assign(new DOMException("  m\u0000", "AbortError"), { extra: 1 })) as DOMException;
    // ERR-RUNTIME-REALM: the destination realm's own DOMException.
    expect(copy).to.be.instanceOf(realm.intrinsics.DOMException);
    expect(copy).to.be.instanceOf(realm.intrinsics.errors.Error);
    expect([copy.name, copy.message, copy.code]).to.deep.equal(["AbortError", "  m\u0000", 20]);
    expect(Object.keys(copy)).to.deep.equal([]);
  });

  it("SER-REJECT-ITERATOR: refuses generators and built-in iterators of any realm with their tag", () => {
    const cases: [string, string][] = [
      ["(function* () {})()", "Generator"],
      ["(async function* () {})()", "AsyncGenerator"],
      ["[1][Symbol.iterator]()", "Array Iterator"],
      ["new Map().keys()", "Map Iterator"],
      ["new Set().values()", "Set Iterator"],
      ["'ab'[Symbol.iterator]()", "String Iterator"],
      ["'ab'.matchAll(/a/g)", "RegExp String Iterator"],
    ];
    for (const [expression, tag] of cases) {
      expect(() => toRealm({ nested: [fromOther(expression)] }), expression).to.throw(DOMException, `[object ${tag}] could not be cloned.`);
    }
    // A class instance dressed as an iterator (tag on its prototype, a `next` of its own making) is a class instance.
    const lookAlike = fromOther(`new (class Fake { next() {} static { this.prototype[Symbol.toStringTag] = "Array Iterator"; } })()`);
    expect(() => toRealm(lookAlike)).to.throw(DOMException, 'Could not serialize object of type "Fake".');
  });

  it("SER-OWN-ENUMERABLE: copies own enumerable string keys as data, reading each getter once", () => {
    let reads = 0;
    const source = Object.defineProperties({ a: 1 } as Record<string, unknown>, {
      g: { get: () => ++reads, enumerable: true },
      hidden: { value: 2, enumerable: false },
      ro: { value: 3, enumerable: true, writable: false },
    });
    source[Symbol("s") as unknown as string] = 4;
    const copy = toRealm(source) as object;
    expect(reads).to.equal(1);
    expect(Reflect.ownKeys(copy)).to.deep.equal(["a", "g", "ro"]);
    expect(Object.getOwnPropertyDescriptor(copy, "ro")).to.deep.equal({ value: 3, writable: true, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(copy, "g")).to.include({ value: 1, writable: true });
  });
});
