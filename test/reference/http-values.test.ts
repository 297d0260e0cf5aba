import { expect } from "chai";
import fc from "fast-check";
import { WorkerRealm } from "../../reference/realm.ts";
import { Serializer } from "../../reference/serialize.ts";
import { copyHeaders, copyHostValue } from "../../reference/http-values.ts";

describe("reference: HTTP values (http-values.ts)", () => {
  const realm = new WorkerRealm("dest");
  const serializer = new Serializer();

  it("HTTP-HEADERS-SET-COOKIE: keeps each Set-Cookie value apart, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,4}=[a-z0-9]{0,4}$/), { minLength: 1, maxLength: 5 }), (cookies) => {
        const headers = new Headers();
        for (const c of cookies) headers.append("Set-Cookie", c);
        headers.append("x-a", "1");
        headers.append("X-A", "2");
        const copy = copyHeaders(headers, {});
        expect(copy.getSetCookie()).to.deep.equal(cookies);
        expect(copy.get("x-a")).to.equal("1, 2");
      }),
    );
  });

  it("HTTP-BLOB: a Blob crosses with its type and bytes, through the serializer, nested too", async () => {
    const blob = new Blob(["hi", new Uint8Array([0, 255])], { type: "text/x" });
    const copy = (serializer.copy({ b: blob }, realm) as { b: Blob }).b;
    expect(copy).to.be.instanceOf(Blob).and.not.equal(blob);
    expect(copy.type).to.equal("text/x");
    expect([...new Uint8Array(await copy.arrayBuffer())]).to.deep.equal([104, 105, 0, 255]);
  });

  it("HTTP-BLOB: a File is refused with workerd's DataCloneError", () => {
    const file = new File(["x"], "a.txt");
    expect(() => serializer.copy([file], realm))
      .to.throw(DOMException, 'Could not serialize object of type "File". This type does not support serialization.')
      .with.property("name", "DataCloneError");
  });

  it("leaves objects it does not know to the copier", () => {
    expect(copyHostValue(new URL("https://a/"), {})).to.equal(undefined);
  });
});
