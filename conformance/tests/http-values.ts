/** Conformance tests for spec/http-values.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../define.ts";
import { probeWorker } from "../scenario.ts";
import { className } from "../arbitraries/names.ts";
import { calleeModules, expectValue, valueExpr } from "./support.ts";
import type { Observed } from "./support.ts";

/** fast-check may build records without a prototype; the spec crosses as an argument, so make it plain. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const direction = fc.constantFrom("argument" as const, "result" as const);

/** A call that sends `make(spec)` one way and answers `describe(value)` as seen by the receiver. */
function crossing(cls: string, source: string, dir: "argument" | "result", spec: unknown) {
  const call = dir === "argument" ? `env.S.take(make(spec))` : `env.S.give(spec).then(describe)`;
  return {
    workers: [
      {
        name: "callee",
        modules: calleeModules(`${source}
export class ${cls} extends WorkerEntrypoint {
  take(value) { return describe(value); }
  give(spec) { return make(spec); }
}`),
      },
      probeWorker("probe", `${source}\nconst spec = ${valueExpr(spec)};\nreturn respond(await observe(() => ${call}));`, {
        services: [{ binding: "S", service: "callee", entrypoint: cls }],
      }),
    ],
    probe: "probe",
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP-HEADERS-SET-COOKIE

const cookie = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), fc.stringMatching(/^[A-Za-z0-9]{0,8}$/), fc.constantFrom("", "; Path=/", "; Max-Age=60", "; Expires=Wed, 21 Oct 2015 07:28:00 GMT"))
  .map(([name, value, attributes]) => `${name}=${value}${attributes}`);
const setCookieName = fc.constantFrom("set-cookie", "Set-Cookie", "SET-COOKIE", "sEt-CoOkIe");
const otherHeader = fc.tuple(fc.stringMatching(/^x-[a-z0-9]{1,8}$/), fc.stringMatching(/^[A-Za-z0-9]{1,8}$/));

interface CookieCase {
  holder: "headers" | "response" | "request";
  /** Appended in this order: a Set-Cookie value (with its name's spelling) or another header. */
  appends: ({ cookie: string; name: string } | { header: [string, string] })[];
}

const cookieCase: fc.Arbitrary<CookieCase> = fc.record({
  holder: fc.constantFrom("headers" as const, "response" as const, "request" as const),
  appends: fc.array(fc.oneof(fc.record({ cookie, name: setCookieName }), fc.record({ header: otherHeader })), { maxLength: 6 }).filter((a) => a.some((x) => "cookie" in x)),
}).map(plain);

const COOKIE_SOURCE = `function make(spec) {
  const headers = new Headers();
  for (const a of spec.appends) a.cookie !== undefined ? headers.append(a.name, a.cookie) : headers.append(a.header[0], a.header[1]);
  if (spec.holder === "headers") return headers;
  if (spec.holder === "response") return new Response(null, { headers });
  return new Request("https://example.com/", { headers });
}
function describe(v) {
  const headers = v instanceof Headers ? v : v.headers;
  return { isHeaders: headers instanceof Headers, entries: [...headers].filter(([n]) => n === "set-cookie"), setCookie: headers.getSetCookie() };
}`;

defineTest({
  id: "http-values/set-cookie",
  title: "Set-Cookie values cross uncombined and in order, in Headers, Requests and Responses",
  requirements: ["HTTP-HEADERS-SET-COOKIE"],
  arbitrary: fc.record({ cls: className, spec: cookieCase, dir: direction }),
  scenario: ({ cls, spec, dir }) => crossing(cls, COOKIE_SOURCE, dir, spec),
  check({ spec, dir }, observed) {
    const cookies = spec.appends.flatMap((a) => ("cookie" in a ? [a.cookie] : []));
    const o = expectValue(observed, `${spec.holder} with Set-Cookie values as ${dir === "argument" ? "an argument" : "a result"}`) as {
      isHeaders: boolean;
      entries: [string, string][];
      setCookie: string[];
    };
    expect(o.isHeaders, "the received headers are a Headers of the receiver").to.equal(true);
    expect(o.setCookie, "getSetCookie() on the received headers").to.deep.equal(cookies);
    expect(o.entries, "set-cookie entries when iterating the received headers").to.deep.equal(cookies.map((c) => ["set-cookie", c]));
  },
});

// ---------------------------------------------------------------------------------------------
// HTTP-BLOB

const mimeType = fc.oneof(fc.constant(""), fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9.+-]{1,10}$/));
const blobSpec = fc.record({
  file: fc.boolean(),
  parts: fc.array(fc.oneof(fc.string({ maxLength: 8 }).map((text) => ({ text })), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }).map((bytes) => ({ bytes }))), { maxLength: 4 }),
  type: mimeType,
  name: fc.stringMatching(/^[a-z0-9]{1,8}\.[a-z]{1,3}$/),
}).map(plain);
type BlobSpec = typeof blobSpec extends fc.Arbitrary<infer T> ? T : never;

const BLOB_SOURCE = `function make(spec) {
  const parts = spec.parts.map((p) => (p.text !== undefined ? p.text : new Uint8Array(p.bytes)));
  return spec.file ? new File(parts, spec.name, { type: spec.type }) : new Blob(parts, { type: spec.type });
}
async function describe(v) {
  return { isBlob: v instanceof Blob, isFile: v instanceof File, type: v.type, bytes: [...new Uint8Array(await v.arrayBuffer())] };
}`;

const encoder = new TextEncoder();
function blobBytes(spec: BlobSpec): number[] {
  return spec.parts.flatMap((p) => ("text" in p ? [...encoder.encode(p.text)] : p.bytes));
}

defineTest({
  id: "http-values/blob",
  title: "a Blob crosses with its type and bytes; a File is refused with DataCloneError",
  requirements: ["HTTP-BLOB"],
  arbitrary: fc.record({ cls: className, spec: blobSpec, dir: direction }),
  scenario: ({ cls, spec, dir }) => crossing(cls, BLOB_SOURCE, dir, spec),
  check({ spec, dir }, observed) {
    const what = `a ${spec.file ? "File" : "Blob"} as ${dir === "argument" ? "an argument" : "a result"}`;
    const o = observed as Observed;
    if (spec.file) {
      if (o.ok) throw new Error(`${what}: expected a rejection with DataCloneError, but the call resolved to ${JSON.stringify(o.value)}`);
      expect(o.sync, `${what}: the error was thrown synchronously; it must reject the call's promise`).to.not.equal(true);
      const error = o.error as DOMException;
      expect(error, `${what}: rejection value`).to.be.instanceOf(DOMException);
      expect(error.name, `${what}: error name`).to.equal("DataCloneError");
      expect(error.message, `${what}: error message`).to.equal(`Could not serialize object of type "File". This type does not support serialization.`);
      return;
    }
    expect(expectValue(o, what), `${what}, as the receiver saw it`).to.deep.equal({ isBlob: true, isFile: false, type: spec.type, bytes: blobBytes(spec) });
  },
});
