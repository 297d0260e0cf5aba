/** Conformance tests for spec/http-values.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { className } from "../arbitraries/names.ts";
import { wellFormedString } from "../arbitraries/values.ts";
import { PLANT_SOURCE, plantedContainer } from "../arbitraries/structured.ts";
import { normalise } from "../diff/normalisations.ts";
import { apiTags, callerAndCallee, code, expectPlantedRefusal, expectValue, ident, js, type Observed, plantedRefusalScenario, type Source, value } from "./support.ts";

/** fast-check may build records without a prototype; the spec crosses as an argument, so make it plain. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const direction = fc.constantFrom("argument" as const, "result" as const);

/** A call that sends `make(spec)` one way and answers `describe(value)` as seen by the receiver. */
function crossing(cls: string, source: Source, dir: "argument" | "result", spec: unknown) {
  const call = dir === "argument" ? js`env.S.take(make(spec))` : js`env.S.give(spec).then(describe)`;
  return callerAndCallee({
    callee: js`${source}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(value) { return describe(value); }
  give(spec) { return make(spec); }
}`,
    entrypoint: cls,
    probe: js`${source}\nconst spec = ${value(spec)};\nreturn respond(await observe(() => ${call}));`,
  });
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

const COOKIE_SOURCE = js`function make(spec) {
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
  check({ spec, dir }, observed: Observed<{ isHeaders: boolean; entries: [string, string][]; setCookie: string[] }>) {
    const cookies = spec.appends.flatMap((a) => ("cookie" in a ? [a.cookie] : []));
    const o = expectValue(observed, `${spec.holder} with Set-Cookie values as ${dir === "argument" ? "an argument" : "a result"}`);
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

const BLOB_SOURCE = js`function make(spec) {
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
  check({ spec, dir }, o: Observed) {
    const what = `a ${spec.file ? "File" : "Blob"} as ${dir === "argument" ? "an argument" : "a result"}`;
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

// ---------------------------------------------------------------------------------------------
// HTTP-BODY-MOVED, HTTP-BODY-UNUSABLE

/** A body to send: a Request or Response with a body, or a byte stream of the body text. */
const bodySpec = fc.record({
  kind: fc.constantFrom("request", "response", "stream"),
  method: fc.constantFrom("POST", "PUT", "PATCH"),
  text: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
});

/** What was done to the body before the send: nothing, read to the end, locked to a reader, sent once already. */
const bodyState = fc.constantFrom("fresh", "read", "locked", "sent-before");

/** Source of helpers: build and prepare a body, find it in a holder, read it, and report the sender's view. */
const BODY_SOURCE = js`${code(PLANT_SOURCE)}
function makeBody(spec) {
  switch (spec.kind) {
    case "request": return new Request("https://example.com/", { method: spec.method, body: spec.text });
    case "response": return new Response(spec.text);
    default: return new Response(spec.text).body;
  }
}
async function spoil(v, state) {
  const stream = v instanceof ReadableStream ? v : v.body;
  if (state === "read" && stream === v) { const reader = stream.getReader(); while (!(await reader.read()).done); }
  if (state === "read" && stream !== v) await v.text();
  if (state === "locked") stream.getReader();
}
function findBody(v) {
  if (v instanceof Request || v instanceof Response || v instanceof ReadableStream) return v;
  if (v instanceof Map) v = [...v.values()];
  if (v !== null && typeof v === "object") for (const x of Object.values(v)) { const found = findBody(x); if (found) return found; }
  return undefined;
}
function readBody(v) { return v instanceof ReadableStream ? new Response(v).text() : v.text(); }
function senderView(v) { return v instanceof ReadableStream ? { locked: v.locked } : { bodyUsed: v.bodyUsed, locked: v.body.locked }; }`;

defineTest({
  id: "http-values/bodies-moved",
  title: "a sent Request, Response or stream is used and locked on the sender's side from the call on; one already read, locked or sent rejects with a TypeError",
  requirements: ["HTTP-BODY-MOVED", "HTTP-BODY-UNUSABLE"],
  numRuns: 40,
  arbitrary: fc.record({ cls: className, spec: bodySpec.map(plain), state: bodyState, holder: plantedContainer, dir: direction }),
  scenario({ cls, spec, state, holder, dir }) {
    const callee = js`${BODY_SOURCE}
let kept;
export class ${ident(cls)} extends WorkerEntrypoint {
  async take(value) { return readBody(findBody(value)); }
  async give(spec, state) { kept = makeBody(spec); if (state !== "sent-before") await spoil(kept, state); return plant(${value(holder)}, kept); }
  giveAgain() { return plant(${value(holder)}, kept); }
  senderView() { return senderView(kept); }
}`;
    const argument = js`const v = makeBody(spec);
if (state === "sent-before") await env.S.take(plant(${value(holder)}, v)); else await spoil(v, state);
let during;
const result = await observe(() => { const p = env.S.take(plant(${value(holder)}, v)); during = senderView(v); return p; });
return respond({ result, remote: result.ok ? undefined : result.error?.remote, during, after: senderView(v) });`;
    const result = js`if (state === "sent-before") await readBody(findBody(await env.S.give(spec, "fresh")));
const result = await observe(async () => readBody(findBody(await (state === "sent-before" ? env.S.giveAgain() : env.S.give(spec, state)))));
const after = await env.S.senderView();
return respond({ result, remote: result.ok ? undefined : result.error?.remote, during: after, after });`;
    return callerAndCallee({
      callee,
      entrypoint: cls,
      probe: js`${BODY_SOURCE}\nconst spec = ${value(spec)};\nconst state = ${value(state)};\n${dir === "argument" ? argument : result}`,
    });
  },
  check({ spec, state, dir }, o: { result: Observed; remote: unknown; during: unknown; after: unknown }) {
    const what = `a ${state} ${spec.kind} sent as ${dir === "argument" ? "an argument" : "a result"}`;
    const usedUp = spec.kind === "stream" ? { locked: true } : { bodyUsed: true, locked: true };
    if (state === "fresh") {
      expect(expectValue(o.result, what), `${what}: the body the receiver read`).to.equal(spec.text);
      expect(o.during, `${what}: the sender's object right after it was sent`).to.deep.equal(usedUp);
      expect(o.after, `${what}: the sender's object after the call`).to.deep.equal(usedUp);
      return;
    }
    if (o.result.ok) throw new Error(`${what}: expected a rejection with TypeError: The ReadableStream has been locked to a reader., but the call resolved`);
    expect(o.result.sync, `${what}: the error was thrown synchronously; it must reject the call's promise`).to.not.equal(true);
    const error = o.result.error as Error;
    expect(error, `${what}: rejection value`).to.be.an("error");
    expect(error.constructor.name, `${what}: error class`).to.equal("TypeError");
    expect(error.message, `${what}: error message`).to.equal("The ReadableStream has been locked to a reader.");
    expect(o.remote, `${what}: error.remote`).to.equal(dir === "result" ? true : undefined);
  },
});

// ---------------------------------------------------------------------------------------------
// HTTP-PLATFORM-REFUSED

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

/** A refused Web platform object: the source that builds it, and workerd's message for it. */
const refusedPlatformObject: fc.Arbitrary<{ expression: string; message: string }> = fc
  .oneof(
    word.map((path) => ({ type: "URL", expression: `new URL(${JSON.stringify(`https://example.com/${path}`)})` })),
    fc.tuple(word, word).map(([k, v]) => ({ type: "URLSearchParams", expression: `new URLSearchParams(${JSON.stringify(`${k}=${v}`)})` })),
    fc.array(fc.tuple(word, word), { maxLength: 2 }).map((entries) => ({
      type: "FormData",
      expression: `(() => { const f = new FormData(); for (const [k, v] of ${JSON.stringify(entries)}) f.append(k, v); return f; })()`,
    })),
    fc.constantFrom(
      { type: "AbortController", expression: "new AbortController()" },
      { type: "TextEncoder", expression: "new TextEncoder()" },
      { type: "TextDecoder", expression: "new TextDecoder()" },
      { type: "TransformStream", expression: "new TransformStream()" },
      { type: "CompressionStream", expression: `new CompressionStream("gzip")` },
      { type: "EventTarget", expression: "new EventTarget()" },
      { type: "AbortSignal", expression: "AbortSignal.abort()" },
      { type: "AbortSignal", expression: "new AbortController().signal" },
    ),
    word.map((type) => ({ type: "Event", expression: `new Event(${JSON.stringify(type)})` })),
  )
  .map(({ type, expression }) => ({
    expression,
    message: type === "AbortSignal" ? "AbortSignal serialization is not enabled." : `Could not serialize object of type "${type}". This type does not support serialization.`,
  }));

defineTest({
  id: "http-values/platform-objects-refused",
  title: "URL, URLSearchParams, FormData, AbortController, AbortSignal, TextEncoder, streams' transformers and events anywhere in a value reject the call with a DataCloneError",
  requirements: ["HTTP-PLATFORM-REFUSED", "SER-REJECT-ASYNC"],
  arbitrary: fc.record({ cls: className, bad: refusedPlatformObject, holder: plantedContainer, dir: direction }),
  scenario({ cls, bad, holder, dir }) {
    return plantedRefusalScenario(cls, holder, bad.expression, dir);
  },
  check({ bad, dir }, observed) {
    expectPlantedRefusal(observed, `${bad.expression} in the ${dir}`, bad.message, dir);
  },
});

defineTest({
  id: "http-values/stream-strings",
  title: "a ReadableStream the program fills with strings, sent as an argument or as a fetch body, arrives as the UTF-8 bytes of those strings",
  requirements: ["HTTP-STREAM-STRINGS"],
  arbitrary: fc.record({ cls: className, chunks: fc.array(wellFormedString, { minLength: 1, maxLength: 4 }), via: fc.constantFrom("argument", "fetch-body", "response-body") }),
  scenario({ cls, chunks, via }) {
    const stream = js`new ReadableStream({ start(c) { for (const s of ${value(chunks)}) c.enqueue(s); c.close(); } })`;
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  async take(stream) { return Array.from(new Uint8Array(await new Response(stream).arrayBuffer())); }
  give() { return new Response(${stream}); }
  async fetch(request) { return Response.json(Array.from(new Uint8Array(await request.arrayBuffer()))); }
}`;
    const call =
      via === "argument"
        ? js`env.S.take(${stream})`
        : via === "fetch-body"
          ? js`env.S.fetch("http://callee.invalid/", { method: "POST", body: ${stream}, duplex: "half" }).then((r) => r.json())`
          : js`env.S.give().then(async (r) => Array.from(new Uint8Array(await r.arrayBuffer())))`;
    return callerAndCallee({ callee, entrypoint: cls, probe: js`return respond(await observe(() => ${call}));` });
  },
  check({ chunks, via }, observed) {
    const bytes = Array.from(new TextEncoder().encode(chunks.join("")));
    expect(observed, `string chunks sent as ${via}: the bytes the receiver read`).to.deep.equal({ ok: true, value: bytes });
  },
});

// ---------------------------------------------------------------------------------------------
// SER-HOST-TAG: Web objects that arrive are the receiver's own

/** Each Web API class whose instances cross, and a local instance of it. */
const WEB_OBJECTS = {
  Request: `new Request("https://example.com/x", { method: "POST", body: "b" })`,
  Response: `new Response("body", { status: 201 })`,
  Headers: `new Headers({ "x-a": "1" })`,
  Blob: `new Blob(["abc"], { type: "text/plain" })`,
  ReadableStream: `new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } })`,
} as const;
type WebObjectKind = keyof typeof WEB_OBJECTS;

/** Every object node of a deep observation (harness observeDeep), nested ones included. */
function objectNodes(tree: unknown): { tag: unknown; instanceOf: string[] }[] {
  const found: { tag: unknown; instanceOf: string[] }[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if ((record.t === "object" || record.t === "function") && Array.isArray(record.instanceOf)) found.push(record as { tag: unknown; instanceOf: string[] });
    Object.values(record).forEach(walk);
  };
  walk(tree);
  return found;
}

/** How the object reaches its receiver: as an argument, as a result, or as the Response of fetch() on a binding. */
const webRoute = fc.constantFrom("argument" as const, "result" as const, "fetch" as const);

defineTest({
  id: "http-values/web-objects-own-realm",
  title: "a Request, Response, Headers, Blob or ReadableStream that arrives (argument, result, fetch() Response) is, observed whole, like one the receiver makes itself: its own realm's, tagged as set_tostring_tag says, and so is all its members give (headers, body, clone, tee, reads and their errors)",
  requirements: ["SER-HOST-TAG"],
  numRuns: 30,
  arbitrary: fc.record({ cls: className, kind: fc.constantFrom(...(Object.keys(WEB_OBJECTS) as WebObjectKind[])), route: webRoute }),
  scenario({ cls, kind: chosen, route }) {
    const kind: WebObjectKind = route === "fetch" ? "Response" : chosen;
    // What the receiver gets from the object's own members, observed whole too: the objects, arrays,
    // promises and errors they give (the error messages are the host's, so compared with the own one's only).
    const make = js`const make = () => ${code(WEB_OBJECTS[kind])};
const settled = async (f) => { try { return await f(); } catch (e) { return e; } };
const uses = async (x) => x instanceof Headers ? [await settled(() => x.append("bad name", "v"))]
  : x instanceof ReadableStream ? [x.tee()]
  : x instanceof Blob ? [x.slice(), x.stream(), await x.arrayBuffer(), x.text()]
  : [x.headers, x.body, x.clone().text(), await settled(() => x.clone().json()), await x.arrayBuffer(), await settled(() => x.text())];
const deep = (v) => JSON.stringify(observeDeep(v));
const seen = async (arrived) => ({ arrived: deep(arrived), own: deep(make()), arrivedUses: deep(await uses(arrived)), ownUses: deep(await uses(make())) });`;
    const call = { argument: js`await env.S.take(make())`, result: js`await seen(await env.S.give())`, fetch: js`await seen(await env.S.fetch("https://callee.invalid/"))` }[route];
    return callerAndCallee({
      callee: js`import { observeDeep } from "./harness.js";
${make}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(value) { return seen(value); }
  give() { return make(); }
  fetch() { return make(); }
}`,
      entrypoint: cls,
      probe: js`${make}\nreturn respond(${call});`,
    });
  },
  check({ kind: chosen, route }, o: { arrived: string; own: string; arrivedUses: string; ownUses: string }, profile) {
    const kind = route === "fetch" ? "Response" : chosen;
    const what = route === "fetch" ? "the Response of fetch() on a binding" : `a ${kind} as ${route === "argument" ? "an argument" : "a result"}`;
    // Their layout below the class is the host implementation's (spec/incidental.md), as in the diff engine.
    const [arrived, own] = [o.arrived, o.own].map((json) => normalise(JSON.parse(json)) as { tag: unknown; instanceOf: unknown });
    expect({ tag: arrived.tag, instanceOf: arrived.instanceOf }, `${what}: its tag and the receiver's classes it is an instance of`).to.deep.equal({
      tag: apiTags(profile) ? `[object ${kind}]` : "[object Object]",
      instanceOf: ["Object"],
    });
    expect(arrived, `${what}, observed whole (harness observeDeep), against one the receiver made itself`).to.deep.equal(own);
    const [uses, ownUses] = [o.arrivedUses, o.ownUses].map((json) => normalise(JSON.parse(json)));
    const foreign = objectNodes(uses).filter((node) => !node.instanceOf.includes("Object"));
    expect(foreign.map((node) => node.tag), `${what}: what its members gave (headers, body, clone, tee, reads and their errors) that is no instance of the receiver's Object`).to.deep.equal([]);
    expect(uses, `${what}: what its members gave, observed whole, against what those of one the receiver made itself gave`).to.deep.equal(ownUses);
  },
});
