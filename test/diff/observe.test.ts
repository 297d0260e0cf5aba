/**
 * The deep observation of the harness (`observeDeep`): what it records, that it never throws,
 * that it is JSON-able and deterministic, and that it sees realm identity.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as vm from "node:vm";
import { observeDeep } from "../../conformance/harness/harness.js";
import { structuredValue, errorValue } from "../../conformance/arbitraries/structured.ts";

type Node = Record<string, any>;
const deep = (value: unknown) => observeDeep(value) as Node;
const key = (node: Node, name: string) => (node.keys as Node[]).find((k) => k.key === name);

describe("harness observeDeep", () => {
  it("describes primitives by typeof and value, -0 and long strings included", () => {
    expect(deep(undefined)).to.deep.equal({ t: "undefined" });
    expect(deep(null)).to.deep.equal({ t: "null" });
    expect(deep(-0)).to.deep.equal({ t: "number", v: "-0" });
    expect(deep(NaN)).to.deep.equal({ t: "number", v: "NaN" });
    expect(deep(10n)).to.deep.equal({ t: "bigint", v: "10" });
    expect(deep(Symbol("s"))).to.deep.equal({ t: "symbol", v: "s" });
    const long = deep("x".repeat(5000));
    expect(long.v).to.match(/^x{64}…\(5000 chars, fnv [0-9a-f]+\)$/);
    expect(deep("x".repeat(4999) + "y").v).to.not.equal(long.v);
  });

  it("lists own keys in order, symbols included, with descriptor flags and values", () => {
    const o: Record<PropertyKey, unknown> = { b: 1, a: "x" };
    o[Symbol("tag")] = true;
    Object.defineProperty(o, "hidden", { value: 2, enumerable: false, writable: false, configurable: true });
    Object.defineProperty(o, "g", { get: () => 7, enumerable: true, configurable: false });
    const node = deep(o);
    expect(node.keys.map((k: Node) => k.key)).to.deep.equal(["b", "a", "hidden", "g", { symbol: "tag" }]);
    expect(key(node, "b")).to.deep.include({ kind: "data", flags: "ewc", value: { t: "number", v: "1" } });
    expect(key(node, "hidden")!.flags).to.equal("--c");
    expect(key(node, "g")).to.deep.include({ kind: "accessor", flags: "e-", get: true, set: false, read: { ok: { t: "number", v: "7" } } });
    expect(node.proto).to.deep.equal(["Object"]);
    expect(node.tag).to.equal("[object Object]");
    expect(node.json).to.equal('{"b":1,"a":"x","g":7}');
    expect(node.surface).to.equal(undefined); // plain data has no surface
  });

  it("records shared references and cycles by id", () => {
    const shared = { n: 1 };
    const root: Node = { x: shared, y: shared };
    root.self = root;
    const node = deep(root);
    expect(key(node, "y")!.value).to.deep.equal({ t: "ref", id: key(node, "x")!.value.id });
    expect(key(node, "self")!.value).to.deep.equal({ t: "ref", id: node.id });
    expect(node.json).to.have.property("threw"); // JSON.stringify of a cycle throws, and that is recorded
    expect(node.json.threw).to.include({ class: "TypeError", instanceOfError: true });
  });

  it("judges instanceof against its own realm: another realm's objects are not `instanceof Object`", () => {
    const foreign = vm.runInNewContext("({ e: new TypeError('x'), o: {}, f() {} })");
    const node = deep(foreign);
    expect(node.instanceOf).to.deep.equal([]);
    expect(key(node, "e")!.value.instanceOf).to.deep.equal([]);
    expect(key(node, "e")!.value.error.name).to.deep.equal({ ok: { t: "string", v: "TypeError" } });
    expect(deep(new TypeError("x")).instanceOf).to.deep.equal(["Object", "Error", "TypeError"]);
  });

  it("describes errors: name, message, remote, cause, own names, first stack line", () => {
    const error = Object.assign(new RangeError("far", { cause: "c" }), { remote: true });
    const node = deep(error);
    expect(node.error.message).to.deep.equal({ ok: { t: "string", v: "far" } });
    expect(node.error.remote).to.deep.equal({ ok: { t: "boolean", v: true } });
    expect(node.error.cause).to.deep.equal({ ok: { t: "string", v: "c" } });
    expect(node.error.ownNames).to.deep.equal({ ok: ["stack", "message", "cause", "remote"] });
    expect(node.error.stackLine).to.deep.equal({ ok: "RangeError: far" });
    expect(key(node, "stack")!.value).to.deep.include({ t: "stack", firstLine: "RangeError: far" });
    expect(node.surface.newConstructor).to.deep.equal({ ok: { typeof: "object", class: "RangeError" } });
  });

  it("records internal slots of built-ins, bytes by digest", () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const node = deep(new Uint16Array(bytes.buffer, 2, 1));
    expect(node.slots.typedArray).to.deep.include({ type: "Uint16Array", byteOffset: 2, length: 1 });
    expect(node.slots.typedArray.buffer.slots.arrayBuffer).to.deep.include({ byteLength: 4, head: [1, 2, 3, 4] });
    expect(deep(new Map([[1, "a"]])).slots.map.entries).to.deep.equal([[{ t: "number", v: "1" }, { t: "string", v: "a" }]]);
    expect(deep(new Date(5)).slots).to.deep.equal({ date: 5 });
    expect(deep(Object(1n)).slots).to.deep.equal({ boxed: { t: "bigint", v: "1" } });
  });

  it("never throws: a Proxy that throws on every trap is recorded trap by trap", () => {
    const boom = () => {
      throw new Error("trap");
    };
    const hostile = new Proxy(function () {}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom, construct: boom });
    const node = deep(hostile);
    expect(node.t).to.equal("function");
    expect(node.keys.threw).to.include({ class: "Error", message: "trap" });
    expect(node.in).to.deep.equal([]);
    expect(node.thenable.threw.message).to.equal("trap");
    expect(node.surface.constructor.threw.message).to.equal("trap");
    expect(JSON.parse(JSON.stringify(node))).to.deep.equal(node);
  });

  it("records a function's surface: constructor, new constructor(), then", () => {
    const node = deep(function named() {});
    expect(node.surface.constructor).to.deep.equal({ ok: { typeof: "function", class: "Function", name: "Function" } });
    expect(node.surface.then).to.deep.equal({ ok: { typeof: "undefined", value: "undefined" } });
    expect(node.thenable).to.equal(false);
    expect(deep({ then() {} }).thenable).to.equal(true);
  });

  it("is JSON-able and deterministic for every structured value and error", () => {
    fc.assert(
      fc.property(fc.oneof(structuredValue, errorValue), (value) => {
        const first = deep(value);
        expect(JSON.parse(JSON.stringify(first))).to.deep.equal(first);
        expect(deep(value)).to.deep.equal(first);
      }),
      { numRuns: 150 },
    );
  });
});
