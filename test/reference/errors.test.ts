import { expect } from "chai";
import { WorkerRealm } from "../../reference/loading/realm.ts";
import { configureBoundary } from "../../reference/copy/serialize.ts";
import { toCallerError } from "../../reference/rpc/errors.ts";

describe("reference: errors crossing the boundary (toCallerError)", () => {
  const legacy = new WorkerRealm("legacy");
  const enhanced = new WorkerRealm("enhanced");
  configureBoundary(legacy, { compatibilityDate: "2024-04-03", compatibilityFlags: [] });
  configureBoundary(enhanced, { compatibilityDate: "2026-11-17", compatibilityFlags: [] });

  it("legacy: class by built-in name, message as text, custom names folded in, nothing else", () => {
    const e = toCallerError(Object.assign(new RangeError(" a\u0000b"), { extra: 1 }), legacy) as RangeError & Record<string, unknown>;
    expect(e).to.be.instanceOf(legacy.intrinsics.errors.RangeError);
    expect([e.message, e.remote, e.extra]).to.deep.equal(["a", true, undefined]);
    const custom = toCallerError(Object.assign(new Error("x\uD800"), { name: "Mine" }), legacy) as Error;
    expect([custom.constructor.name, custom.message]).to.deep.equal(["Error", "Mine: x\uFFFD"]);
    expect((toCallerError({ a: 1 }, legacy) as Error).message).to.equal("#<Object>");
  });

  it("enhanced: own properties, cause and custom names travel; objects cross as copies", () => {
    const thrown = Object.assign(new TypeError("m\u0000", { cause: new Error("inner") }), { name: "Mine", code: 7 });
    const e = toCallerError(thrown, enhanced) as Error & Record<string, unknown>;
    expect([e.constructor.name, e.name, e.message, e.code, e.remote]).to.deep.equal(["Error", "Mine", "m\u0000", 7, true]);
    expect(e.cause).to.be.instanceOf(enhanced.intrinsics.errors.Error);
    expect(String(e.stack)).to.not.include("errors.test");
    const object = toCallerError(new (class Foo { a = 1; })(), enhanced) as Record<string, unknown>;
    expect(Object.getPrototypeOf(object)).to.equal(enhanced.intrinsics.ObjectPrototype);
    expect({ ...object }).to.deep.equal({ a: 1, remote: true });
    expect((toCallerError(" text", enhanced) as Error).message).to.equal("text");
  });
});
