/**
 * The `js` template that conformance tests write worker source with (conformance/tests/source.ts):
 * what each kind of interpolation becomes, and that nothing is inserted without saying how.
 */
import { expect } from "chai";
import { code, ident, js, json, lines, value } from "../../conformance/tests/source.ts";
import { input } from "../../conformance/harness/harness.js";

/** Evaluates generated source as an expression, with the harness's `input` in scope. */
const run = (text: string): unknown => new Function("input", `return (${text});`)(input);

describe("conformance/tests/source.ts: the js template", () => {
  it("quotes strings, so any generated name is a string literal", () => {
    const name = 'a"b\\c\n${x}`';
    expect(js`env.S[${name}]()`.text).to.equal(`env.S[${JSON.stringify(name)}]()`);
    expect(run(js`${name}`.text)).to.equal(name);
  });

  it("writes numbers and booleans as literals, -0 included", () => {
    expect(js`[${1.5}, ${-3}, ${-0}, ${true}, ${false}]`.text).to.equal("[1.5, -3, -0, true, false]");
    expect(Object.is(run(js`${-0}`.text), -0)).to.equal(true);
  });

  it("nests js templates, code() and lines() as the code they are", () => {
    const member = js`  [${"m"}]() { return 1; }`;
    expect(js`class A {\n${lines([member, member])}\n}`.text).to.equal('class A {\n  ["m"]() { return 1; }\n  ["m"]() { return 1; }\n}');
    expect(js`${code("a + b")};`.text).to.equal("a + b;");
    expect(lines([js`[${"k"}]`, js`[${"l"}]`], "").text).to.equal('["k"]["l"]');
  });

  it("ident() inserts identifiers as is and refuses anything else", () => {
    expect(js`class ${ident("Foo_1$")} {}`.text).to.equal("class Foo_1$ {}");
    expect(js`${ident("delete")}() {}`.text, "a reserved word is a valid method name").to.equal("delete() {}");
    for (const bad of ["", "1a", "a-b", "a b", 'x"'])
      expect(() => ident(bad), JSON.stringify(bad))
        .to.throw(TypeError)
        .with.property("message")
        .that.includes("is not an identifier");
  });

  it("value() is an expression the harness's input() turns back into the value, types kept", () => {
    const v = { m: new Map([[1, "one"]]), d: new Date(5), u: undefined, z: -0 };
    const text = value(v).text;
    expect(text.startsWith("input(")).to.equal(true);
    expect(run(text)).to.deep.equal(v);
  });

  it("json() writes plain data as a JSON literal", () => {
    expect(js`for (const b of ${json(["B0", "B1"])})`.text).to.equal('for (const b of ["B0","B1"])');
    expect(() => json(undefined)).to.throw(TypeError);
  });

  it("refuses an interpolation that does not say how it becomes source", () => {
    for (const bad of [undefined, null, {}, ["a"], Symbol("s")]) {
      expect(() => js`x = ${bad as never};`, String(bad?.toString?.() ?? bad))
        .to.throw(TypeError)
        .with.property("message")
        .that.includes("wrap it in value(), json(), ident() or code()");
    }
  });
});
