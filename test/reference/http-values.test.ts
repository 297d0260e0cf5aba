import { expect } from "chai";
import fc from "fast-check";
import { WorkerRealm } from "../../reference/loading/realm.ts";
import { Copier } from "../../reference/copy/serialize.ts";
import { HTTP_VALUE_SEAMS } from "../../reference/copy/http-values.ts";

const { copyHeaders, copyHostValue } = HTTP_VALUE_SEAMS;

describe("reference: HTTP values (http-values.ts)", () => {
  const realm = new WorkerRealm("dest");
  const copier = new Copier();

  it("HTTP-HEADERS-SET-COOKIE: keeps each Set-Cookie value apart, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,4}=[a-z0-9]{0,4}$/), { minLength: 1, maxLength: 5 }), (cookies) => {
        const headers = new Headers();
        for (const c of cookies) headers.append("Set-Cookie", c);
        headers.append("x-a", "1");
        headers.append("X-A", "2");
        const copy = copyHeaders(headers);
        expect(copy.getSetCookie()).to.deep.equal(cookies);
        expect(copy.get("x-a")).to.equal("1, 2");
      }),
    );
  });

  it("HTTP-BLOB: a Blob crosses with its type and bytes, through the copier, nested too", async () => {
    const blob = new Blob(["hi", new Uint8Array([0, 255])], { type: "text/x" });
    const copy = (copier.copy({ b: blob }, realm) as { b: Blob }).b;
    expect(copy).to.be.instanceOf(Blob).and.not.equal(blob);
    expect(copy.type).to.equal("text/x");
    expect([...new Uint8Array(await copy.arrayBuffer())]).to.deep.equal([104, 105, 0, 255]);
  });

  it("HTTP-BLOB: a File is refused with workerd's DataCloneError", () => {
    const file = new File(["x"], "a.txt");
    expect(() => copier.copy([file], realm))
      .to.throw(DOMException, 'Could not serialize object of type "File". This type does not support serialization.')
      .with.property("name", "DataCloneError");
  });

  it("leaves objects it does not know to the copier", () => {
    expect(copyHostValue(new WritableStream())).to.equal(undefined);
  });

  it("HTTP-BODY-MOVED: a sent body is used and locked on the sender's side, and arrives whole", async () => {
    const request = new Request("https://example.com/", { method: "POST", body: "abc" });
    const copy = copier.copy(request, realm) as Request;
    expect([request.bodyUsed, request.body?.locked]).to.deep.equal([true, true]);
    expect(await copy.text()).to.equal("abc");
    const stream = new Response("xyz").body!;
    const moved = copier.copy(stream, realm) as ReadableStream;
    expect(stream.locked).to.equal(true);
    expect(await new Response(moved).text()).to.equal("xyz");
  });

  it("HTTP-BODY-UNUSABLE: a body read, locked or sent already is refused with workerd's TypeError", async () => {
    const read = new Response("a");
    await read.text();
    const locked = new Response("b");
    locked.body!.getReader();
    const sent = new Response("c");
    copier.copy(sent, realm);
    for (const value of [read, locked, sent]) {
      expect(() => copier.copy(value, realm)).to.throw(TypeError, /^The ReadableStream has been locked to a reader\.$/);
    }
    const once = new Response("d");
    expect(() => copier.copy([once, once], realm)).to.not.throw();
  });

  it("HTTP-PLATFORM-REFUSED: URL, FormData, AbortSignal… are refused with workerd's messages", () => {
    expect(() => copyHostValue(new URL("https://a.b/"))).to.throw(DOMException, 'Could not serialize object of type "URL". This type does not support serialization.');
    expect(() => copyHostValue(new FormData())).to.throw(DOMException, '"FormData"');
    expect(() => copyHostValue(AbortSignal.abort())).to.throw(DOMException, "AbortSignal serialization is not enabled.");
  });
});
