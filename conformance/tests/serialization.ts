/** Conformance tests for spec/serialization.md (the by-value basics). */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest, labelled } from "../engine/define.ts";
import { className, memberName } from "../arbitraries/names.ts";
import { jsonLikeContainer, jsonLikeValue } from "../arbitraries/values.ts";
import { crossedEncoding, observedEncoding, withFingerprint } from "../arbitraries/crossing.ts";
import { PLANT_MARKER, PLANT_SOURCE, plantedContainer, rejectedKind, structuredValue } from "../arbitraries/structured.ts";
import { calleeWorker, callerAndCallee, code, expectPlantedRefusal, expectValue, ident, js, type Observed, plantedRefusalScenario, probeResult, Source, value } from "./support.ts";
import { ran } from "./stub-workers.ts";

/** Source of a function that mutates every container in a value graph, in place. */
const MUTATE_DEEP = js`function mutateDeep(v, seen = new Set()) {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  for (const k of Object.keys(v)) mutateDeep(v[k], seen);
  if (Array.isArray(v)) v.push("added by the other side"); else v.addedByTheOtherSide = true;
}`;

defineTest({
  id: "serialization/basic-values",
  title: "JSON-like values (unicode strings, numbers incl. -0, booleans, null, arrays, objects) arrive equal, both ways",
  requirements: ["SER-BASIC-VALUES"],
  arbitrary: fc.record({ cls: className, method: memberName, value: jsonLikeValue }),
  scenario({ cls, method, value: generated }) {
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}](received) { return { received, sent: ${value(generated)} }; }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}](${value(generated)})));`,
    });
  },
  check({ value }, observed: Observed<{ received: unknown; sent: unknown }>) {
    const o = expectValue(observed, "round trip");
    expect(o.received, "the argument as the callee received it").to.deep.equal(value);
    expect(o.sent, "the result as the caller received it").to.deep.equal(value);
  },
});

defineTest({
  id: "serialization/copy-arguments",
  title: "arguments are copied: the callee mutating them does not change the caller's value",
  requirements: ["SER-COPY-ARGS"],
  arbitrary: fc.record({ cls: className, method: memberName, value: jsonLikeContainer }),
  scenario({ cls, method, value: generated }) {
    return callerAndCallee({
      callee: js`${MUTATE_DEEP}\nexport class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}](v) { mutateDeep(v); return "mutated"; }\n}`,
      entrypoint: cls,
      probe: js`const mine = ${value(generated)};
           const call = await observe(() => env.S[${method}](mine));
           return respond({ call, mine });`,
    });
  },
  check({ value }, o: { call: Observed; mine: unknown }) {
    expect(expectValue(o.call, "call"), "the callee ran").to.equal("mutated");
    expect(o.mine, "the caller's argument after the callee mutated its copy").to.deep.equal(value);
  },
});

defineTest({
  id: "serialization/copy-result",
  title: "results are copied: later mutations on either side do not reach the other",
  requirements: ["SER-COPY-RESULT"],
  arbitrary: fc.record({ cls: className, value: jsonLikeContainer }),
  scenario({ cls, value: generated }) {
    const source = js`${MUTATE_DEEP}
let kept;
export class ${ident(cls)} extends WorkerEntrypoint {
  make() { kept = ${value(generated)}; return kept; }
  mutateKept() { mutateDeep(kept); return "mutated"; }
  readKept() { return kept; }
}`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`${MUTATE_DEEP}
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           const afterCalleeMutation = made.ok ? structuredClone(made.value) : null;
           if (made.ok) mutateDeep(made.value);
           const kept = await observe(() => env.S.readKept());
           return respond({ made: { ok: made.ok, error: made.error }, mutated, afterCalleeMutation, kept });`,
    });
  },
  check({ value }, o: { made: { ok: boolean; error?: unknown }; mutated: Observed; afterCalleeMutation: Observed; kept: Observed }) {
    if (!o.made.ok) expectValue(o.made, "make()");
    expect(expectValue(o.mutated, "mutateKept()")).to.equal("mutated");
    expect(o.afterCalleeMutation, "the caller's result after the callee mutated its own copy").to.deep.equal(value);
    const kept = expectValue(o.kept, "readKept()");
    // The callee's copy carries the callee's own mutation but none of the caller's.
    const calleeView = structuredClone(value);
    mutateLocally(calleeView);
    expect(kept, "the callee's value after the caller mutated its result").to.deep.equal(calleeView);
  },
});

function mutateLocally(v: unknown, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  for (const k of Object.keys(v)) mutateLocally((v as Record<string, unknown>)[k], seen);
  if (Array.isArray(v)) v.push("added by the other side");
  else (v as Record<string, unknown>).addedByTheOtherSide = true;
}

/** The requirements of the structured-clone table, all checked by one generated value graph. */
const TABLE_REQUIREMENTS = [
  "SER-PRIMITIVES", "SER-DATE", "SER-REGEXP", "SER-MAP-SET", "SER-ARRAYBUFFER", "SER-TYPED-ARRAYS", "SER-DATAVIEW",
  "SER-ERROR-VALUES", "SER-HOLES", "SER-SHARED-REFS", "SER-CYCLES", "SER-BOXED",
];

defineTest({
  id: "serialization/structured-clone-table",
  title: "every kind of the structured-clone table (primitives, Date, RegExp, Map, Set, buffers and views, errors, holes, boxed, shared refs, cycles) crosses both ways",
  requirements: TABLE_REQUIREMENTS,
  arbitrary: withFingerprint(fc.record({ cls: className, method: memberName, value: structuredValue })),
  scenario({ cls, method, value: generated }) {
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}](received) { return { received, sent: ${value(generated)} }; }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}](${value(generated)})));`,
    });
  },
  check({ value }, observed: Observed<{ received: unknown; sent: unknown }>, profile) {
    const o = expectValue(observed, "round trip");
    const expected = crossedEncoding(value, profile);
    // `received` crossed twice (argument, then back in the result); every rule is idempotent.
    for (const [what, seen] of [
      ["the argument as the callee received it", o.received],
      ["the result as the caller received it", o.sent],
    ] as const) {
      const actual = observedEncoding(seen);
      // A difference counts against the requirement of the kind of value where it is (a Map that
      // lost an entry is SER-MAP-SET's failure, not SER-DATE's), and the check is named after it.
      const kind = tableKindOfDifference(actual, expected);
      labelled(`${what}: ${kind.label}`, kind.requirements, () => expect(actual, `${what} (harness encoding)`).to.deep.equal(expected));
    }
  },
});

/** The kinds of the structured-clone table, by harness encoding tag: the check's label and requirements. */
const TABLE_KINDS: Record<string, { label: string; requirements: string[] }> = {
  primitive: { label: "a primitive", requirements: ["SER-PRIMITIVES"] },
  date: { label: "a Date", requirements: ["SER-DATE"] },
  regexp: { label: "a RegExp", requirements: ["SER-REGEXP"] },
  map: { label: "a Map or Set", requirements: ["SER-MAP-SET"] },
  set: { label: "a Map or Set", requirements: ["SER-MAP-SET"] },
  arraybuffer: { label: "an ArrayBuffer", requirements: ["SER-ARRAYBUFFER"] },
  typedarray: { label: "a typed array", requirements: ["SER-TYPED-ARRAYS"] },
  dataview: { label: "a DataView", requirements: ["SER-DATAVIEW"] },
  error: { label: "an Error", requirements: ["SER-ERROR-VALUES"] },
  boxed: { label: "a boxed primitive", requirements: ["SER-BOXED"] },
  holes: { label: "an array with holes", requirements: ["SER-HOLES"] },
  ref: { label: "a shared reference or cycle", requirements: ["SER-SHARED-REFS", "SER-CYCLES"] },
  // An object or array that lost or gained a member: no one kind of the table is to blame.
  container: { label: "a plain object or array", requirements: TABLE_REQUIREMENTS },
};

/**
 * Where two harness encodings first differ (depth first, as the comparison reports it), which kind
 * of the table is there: the innermost tagged node of `expected` around the difference, a `ref` on
 * either side, or a primitive leaf.
 */
function tableKindOfDifference(actual: unknown, expected: unknown): { label: string; requirements: string[] } {
  const tag = (v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as { $?: unknown }).$ : undefined);
  const kindOf = (n: unknown) => {
    const t = tag(n);
    if (t === "array") return (n as { entries?: unknown }).entries ? "holes" : "container";
    if (t === "number" || t === "bigint" || t === "undefined" || t === "symbol") return "primitive";
    return typeof t === "string" && t !== "object" && t in TABLE_KINDS ? t : "container";
  };
  // `around`: the innermost tagged node of `expected` that holds `e`.
  const walk = (a: unknown, e: unknown, around: unknown): string | undefined => {
    if (Object.is(a, e)) return undefined;
    if (tag(a) === "ref" || tag(e) === "ref") return tag(a) === tag(e) && (a as { id: unknown }).id === (e as { id: unknown }).id ? undefined : "ref";
    if (typeof tag(e) === "string" && tag(a) !== tag(e)) return kindOf(e);
    const node = typeof tag(e) === "string" ? e : around;
    if (e === null || typeof e !== "object") {
      // A primitive differs: as a member of an object or array, or as the whole value, it is the
      // primitive's failure; as a field of another kind (a Date's time, a Map's entry) that kind's.
      const t = tag(node);
      return node === undefined || t === "object" || t === "array" ? "primitive" : kindOf(node);
    }
    if (a === null || typeof a !== "object" || Array.isArray(a) !== Array.isArray(e)) return kindOf(node);
    if (Array.isArray(e) ? (a as unknown[]).length !== e.length : Object.keys(a as object).some((k) => !(k in e))) return kindOf(node);
    // A Map or Set whose members all arrived, in another order: the Map's or Set's failure.
    if ((tag(e) === "map" || tag(e) === "set") && sameMembers((a as Record<string, unknown>)[tag(e) === "map" ? "entries" : "values"], (e as Record<string, unknown>)[tag(e) === "map" ? "entries" : "values"])) return kindOf(e);
    for (const k of Object.keys(e)) {
      if (!(k in (a as object))) return kindOf(node);
      const found = walk((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], node);
      // A view's buffer (its bytes, or the buffer it shares with other views) is the view's failure.
      if (found && k === "buffer" && (tag(e) === "typedarray" || tag(e) === "dataview")) return kindOf(e);
      if (found) return found;
    }
    return undefined;
  };
  // Members compared without ids (a reordering renumbers them) and with nested Maps' and Sets' members in any order.
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v === null || typeof v !== "object") return v;
    const out = Object.fromEntries(Object.entries(v).filter(([k]) => k !== "id").map(([k, x]) => [k, canonical(x)]));
    for (const k of ["entries", "values"]) if ((tag(v) === "map" || tag(v) === "set") && Array.isArray(out[k])) out[k] = out[k].map((m: unknown) => JSON.stringify(m)).sort();
    return out;
  };
  const members = (v: unknown[]) => v.map((m) => JSON.stringify(canonical(m)));
  const sameMembers = (a: unknown, e: unknown) => {
    if (!Array.isArray(a) || !Array.isArray(e) || a.length !== e.length) return false;
    const [ma, me] = [members(a), members(e)];
    return JSON.stringify(ma) !== JSON.stringify(me) && JSON.stringify(ma.sort()) === JSON.stringify(me.sort());
  };
  return TABLE_KINDS[walk(actual, expected, undefined) ?? "container"]!;
}

defineTest({
  id: "serialization/rejected-values",
  title: "class instances, null-prototype objects, symbols, WeakMaps, promises, generators, iterators… anywhere in an argument or result reject the call with workerd's DataCloneError",
  requirements: ["SER-REJECT-ASYNC", "SER-REJECT-CLASS-INSTANCE", "SER-REJECT-NULL-PROTOTYPE", "SER-REJECT-SYMBOL", "SER-REJECT-OTHER", "SER-REJECT-ITERATOR"],
  arbitrary: fc
    .record({ cls: className, bad: rejectedKind, holder: plantedContainer, direction: fc.constantFrom("argument", "result") })
    // A promise returned as the whole result is awaited, not serialized: plant promises inside something.
    .filter(({ bad, holder }) => !(holder === PLANT_MARKER && bad.requirement === "SER-REJECT-OTHER" && bad.expression.includes("Promise"))),
  scenario({ cls, bad, holder, direction }) {
    return plantedRefusalScenario(cls, holder, bad.expression, direction);
  },
  check({ bad, direction }, observed) {
    expectPlantedRefusal(observed, `${bad.expression} in the ${direction}`, bad.message, direction);
  },
});

/** One property of a generated plain object, and how it is defined. */
interface PropertyPlan {
  key: string;
  kind: "data" | "getter" | "hidden" | "readonly";
  value: unknown;
}

/** Source of `build(plan, symbols, count)`: the object SER-OWN-ENUMERABLE sends, built the same way on either side. */
const BUILD_PLAIN = js`function build(plan, symbols, count) {
  const o = {};
  for (const { key, kind, value } of plan) {
    if (kind === "getter") Object.defineProperty(o, key, { get() { count.n++; return value; }, enumerable: true, configurable: true });
    else Object.defineProperty(o, key, { value, enumerable: kind !== "hidden", writable: kind !== "readonly", configurable: true });
  }
  for (const s of symbols) o[Symbol(s)] = s;
  return o;
}
function describe(o) {
  return {
    own: Object.getOwnPropertyNames(o).map((key) => { const d = Object.getOwnPropertyDescriptor(o, key); return { key, data: "value" in d, value: d.value, writable: d.writable, enumerable: d.enumerable }; }),
    symbols: Object.getOwnPropertySymbols(o).filter((s) => s !== Symbol.dispose).map(String),
  };
}`;

defineTest({
  id: "serialization/own-enumerable",
  title: "a plain object crosses as its own enumerable string-keyed properties: getters read once by the sender, non-enumerable and symbol keys left behind",
  requirements: ["SER-OWN-ENUMERABLE"],
  arbitrary: fc.record({
    cls: className,
    plan: fc.uniqueArray(
      fc.record({
        key: fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__"),
        kind: fc.constantFrom("data", "getter", "hidden", "readonly"),
        value: jsonLikeValue,
      }),
      { selector: (p) => p.key, maxLength: 6 },
    ) as fc.Arbitrary<PropertyPlan[]>,
    symbols: fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 2 }),
    direction: fc.constantFrom("argument", "result"),
  }),
  scenario({ cls, plan, symbols, direction }) {
    const make = js`build(${value(plan)}, ${value(symbols)}, count)`;
    const callee = js`${BUILD_PLAIN}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(o) { return describe(o); }
  give() { const count = { n: 0 }; const o = ${make}; return { o, count }; }
}`;
    // For a result, `count` is copied after `o` (key order), so it carries the reads the copy made.
    const body =
      direction === "argument"
        ? js`const count = { n: 0 }; const arrived = await env.S.take(${make}); return respond({ arrived, reads: count.n });`
        : js`const r = await env.S.give(); return respond({ arrived: describe(r.o), reads: r.count.n });`;
    return callerAndCallee({
      callee,
      entrypoint: cls,
      prelude: BUILD_PLAIN,
      probe: body,
    });
  },
  check({ plan }, observed: { arrived: Observed; reads: number }) {
    const o = probeResult(observed);
    // Key order as the sender's own object has it (integer-like keys first), enumerable ones only.
    const order = Object.keys(Object.fromEntries(plan.filter((p) => p.kind !== "hidden").map((p) => [p.key, 0])));
    const byKey = new Map(plan.map((p) => [p.key, p]));
    const own = order.map((key) => ({ key, data: true, value: byKey.get(key)!.value, writable: true, enumerable: true }));
    expect(o.arrived, "the object's own properties as the receiver sees them").to.deep.equal({ own, symbols: [] });
    expect(o.reads, "how many times the sender's getters ran").to.equal(plan.filter((p) => p.kind === "getter").length);
  },
});

defineTest({
  id: "serialization/entrypoint-refused",
  title: "a WorkerEntrypoint instance (the callee's this, or one the program made) anywhere in an argument or result is refused like a class instance",
  requirements: ["SER-REJECT-ENTRYPOINT"],
  arbitrary: fc
    .record({
      cls: className,
      made: className,
      holder: plantedContainer,
      direction: fc.constantFrom("argument", "result"),
      which: fc.constantFrom("this", "constructed"),
    })
    .filter(({ cls, made }) => cls !== made),
  scenario({ cls, made, holder, direction, which }) {
    const madeClass = js`class ${ident(made)} extends WorkerEntrypoint { m() { return 1; } }`;
    const callee = js`${code(PLANT_SOURCE)}
${madeClass}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(value) { return "received"; }
  give() { return plant(${value(holder)}, ${which === "this" ? js`this` : js`new ${ident(made)}(this.ctx, this.env)`}); }
}`;
    const call = direction === "argument" ? js`env.S.take(plant(${value(holder)}, new ${ident(made)}(ctx, env)))` : js`env.S.give()`;
    const prelude = js`import { WorkerEntrypoint } from "cloudflare:workers";\n${code(PLANT_SOURCE)}\n${madeClass}`;
    return callerAndCallee({
      callee,
      entrypoint: cls,
      prelude,
      probe: js`const result = await observe(() => ${call});\nreturn respond({ result, remote: result.ok ? undefined : result.error?.remote });`,
    });
  },
  check({ cls, made, direction, which }, observed) {
    const name = direction === "result" && which === "this" ? cls : made;
    const what = direction === "argument" ? "an entrypoint the probe made, in the argument" : `${which === "this" ? "the callee's this" : "an entrypoint the callee made"} in the result`;
    expectPlantedRefusal(probeResult(observed), what, `Could not serialize object of type "${name}". This type does not support serialization.`, direction);
  },
});

/** Source of `mutateAll(v)`: changes every object of a value graph in place, whatever its kind. */
const MUTATE_ALL = js`function mutateAll(v, seen = new Set()) {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  if (v instanceof ArrayBuffer) return new Uint8Array(v).fill(0xab);
  if (ArrayBuffer.isView(v)) return mutateAll(v.buffer, seen);
  if (v instanceof Date) return v.setTime(12345);
  if (v instanceof RegExp) { v.lastIndex = 7; return; }
  if (v instanceof Error) { v.message = "mutated"; return; }
  if (v instanceof Map) { const entries = [...v]; v.set("added by the other side", 1); for (const [k, x] of entries) { mutateAll(k, seen); mutateAll(x, seen); } return; }
  if (v instanceof Set) { const values = [...v]; v.add("added by the other side"); for (const x of values) mutateAll(x, seen); return; }
  if (Array.isArray(v)) { const items = [...v]; v.push("added by the other side"); for (const x of items) mutateAll(x, seen); return; }
  if (Object.getPrototypeOf(v) !== Object.prototype) return; // boxed primitives
  for (const k of Object.keys(v)) mutateAll(v[k], seen);
  v.addedByTheOtherSide = true;
}`;

defineTest({
  id: "serialization/copy-table-both-ways",
  title: "every kind of the table is copied both ways: the other side mutating its copy (Map, Set, buffers, views, Date, RegExp, errors) changes nothing here",
  requirements: ["SER-COPY-ARGS", "SER-COPY-RESULT"],
  arbitrary: withFingerprint(fc.record({ cls: className, value: structuredValue.filter((v) => v !== null && typeof v === "object") })),
  scenario({ cls, value: generated }) {
    const source = js`${MUTATE_ALL}
let kept;
export class ${ident(cls)} extends WorkerEntrypoint {
  mutateArgument(v) { mutateAll(v); return "mutated"; }
  make() { kept = ${value(generated)}; return kept; }
  mutateKept() { mutateAll(kept); return "mutated"; }
}`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`const mine = ${value(generated)};
           const call = await observe(() => env.S.mutateArgument(mine));
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           return respond({ call, mine, made, mutated });`,
    });
  },
  check({ value }, o: { call: Observed; mine: unknown; made: Observed; mutated: Observed }, profile) {
    expect(expectValue(o.call, "mutateArgument()"), "the callee ran").to.equal("mutated");
    expect(expectValue(o.mutated, "mutateKept()"), "the callee ran").to.equal("mutated");
    expect(observedEncoding(o.mine), "the caller's argument after the callee mutated its copy").to.deep.equal(observedEncoding(value));
    const made = expectValue(o.made, "make()");
    expect(observedEncoding(made), "the caller's result after the callee mutated its own object").to.deep.equal(crossedEncoding(value, profile));
  },
});

/** A Headers, Request, Response or byte ReadableStream to build on either side. */
type HttpValue =
  | { kind: "headers"; headers: [string, string][] }
  | { kind: "request"; url: string; method: string; headers: [string, string][]; body: string | null }
  | { kind: "response"; status: number; statusText: string; headers: [string, string][]; body: string }
  | { kind: "stream"; chunks: number[][] };

// Names whose iteration or defaults are rules of their own (set-cookie is never combined).
const SPECIAL_HEADERS = new Set(["content-type", "content-length", "set-cookie", "host", "transfer-encoding"]);
const headerList = fc.array(
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).filter((n) => !SPECIAL_HEADERS.has(n)), fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/)),
  { maxLength: 4 },
);
const bodyText = fc.string({ unit: "grapheme", maxLength: 20 });

const httpValue: fc.Arbitrary<HttpValue> = fc.oneof(
  headerList.map((headers) => ({ kind: "headers" as const, headers })),
  fc
    .record({ path: fc.stringMatching(/^[a-z0-9]{0,8}$/), method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"), headers: headerList, body: bodyText })
    .map(({ path, method, headers, body }) => ({ kind: "request" as const, url: `https://example.com/${path}`, method, headers, body: method === "GET" ? null : body })),
  fc
    .record({
      status: fc.integer({ min: 200, max: 599 }).filter((s) => ![204, 205, 304].includes(s)),
      statusText: fc.stringMatching(/^[A-Za-z]{0,10}$/),
      headers: headerList,
      body: bodyText,
    })
    .map((r) => ({ kind: "response" as const, ...r })),
  fc.array(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }), { maxLength: 3 }).map((chunks) => ({ kind: "stream" as const, chunks })),
);

/** Source of `make(spec)` (builds an HttpValue) and `describe(value)` (reads one back, body included). */
const HTTP_SOURCE = js`function make(spec) {
  switch (spec.kind) {
    case "headers": return new Headers(spec.headers);
    case "request": return new Request(spec.url, { method: spec.method, headers: spec.headers, body: spec.body });
    case "response": return new Response(spec.body, { status: spec.status, statusText: spec.statusText, headers: spec.headers });
    case "stream": return new ReadableStream({ type: "bytes", start(c) { for (const chunk of spec.chunks) c.enqueue(new Uint8Array(chunk)); c.close(); } });
  }
}
async function describe(v) {
  if (v instanceof Headers) return { type: "Headers", headers: [...v] };
  if (v instanceof Request) return { type: "Request", method: v.method, url: v.url, headers: [...v.headers], body: v.body ? await v.text() : null };
  if (v instanceof Response) return { type: "Response", status: v.status, statusText: v.statusText, headers: [...v.headers], body: await v.text() };
  if (v instanceof ReadableStream) {
    const bytes = [];
    const reader = v.getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) break; bytes.push(...value); }
    return { type: "ReadableStream", bytes };
  }
  return { type: "something else", tag: Object.prototype.toString.call(v) };
}`;

/** What `describe` must report for the value `spec` builds (Headers semantics from this runtime's fetch API). */
function expectedDescription(spec: HttpValue): unknown {
  switch (spec.kind) {
    case "headers":
      return { type: "Headers", headers: [...new Headers(spec.headers)] };
    case "request": {
      const request = new Request(spec.url, { method: spec.method, headers: spec.headers, body: spec.body });
      return { type: "Request", method: request.method, url: request.url, headers: [...request.headers], body: spec.body };
    }
    case "response": {
      const headers = [...new Response(spec.body, { headers: spec.headers }).headers];
      return { type: "Response", status: spec.status, statusText: spec.statusText, headers, body: spec.body };
    }
    case "stream":
      return { type: "ReadableStream", bytes: spec.chunks.flat() };
  }
}

defineTest({
  id: "serialization/http-types",
  title: "Headers, Request, Response (status, statusText, headers, body) and byte ReadableStreams cross as arguments and results",
  requirements: ["SER-HEADERS", "SER-REQUEST", "SER-RESPONSE", "SER-READABLE-STREAM"],
  arbitrary: fc.record({ cls: className, spec: httpValue }),
  scenario({ cls, spec }) {
    return callerAndCallee({
      callee: js`${HTTP_SOURCE}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(value) { return describe(value); }
  give(spec) { return make(spec); }
}`,
      entrypoint: cls,
      probe: js`${HTTP_SOURCE}
           const spec = ${value(spec)};
           const asArgument = await observe(() => env.S.take(make(spec)));
           const asResult = await observe(async () => describe(await env.S.give(spec)));
           return respond({ asArgument, asResult });`,
    });
  },
  check({ spec }, o: { asArgument: Observed; asResult: Observed }) {
    const expected = expectedDescription(spec);
    expect(expectValue(o.asArgument, `${spec.kind} as an argument`), `${spec.kind} as the callee received it`).to.deep.equal(expected);
    expect(expectValue(o.asResult, `${spec.kind} as a result`), `${spec.kind} as the caller received it`).to.deep.equal(expected);
  },
});

/** An RPC call's thenable or an unawaited RPC property, on a binding `O` of the side that sends it. */
const rpcThenable = fc.record({ kind: fc.constantFrom("call", "property", "pipelined"), member: memberName });

function thenableExpression({ kind, member }: { kind: string; member: string }, binding: "env.O" | "this.env.O"): Source {
  switch (kind) {
    case "call":
      return js`${code(binding)}[${member}]()`;
    case "property":
      return js`${code(binding)}[${member}]`;
    default:
      return js`${code(binding)}[${member}]()[${member}]`;
  }
}

const REFUSED_TYPE = /^Could not serialize object of type "[A-Za-z]+"\. This type does not support serialization\.$/;

defineTest({
  id: "serialization/rpc-thenables-refused",
  title: "an RPC call's thenable or an unawaited RPC property inside an argument or result rejects the call with a DataCloneError",
  requirements: ["SER-REJECT-RPC-PROMISE", "SER-REJECT-ASYNC"],
  arbitrary: fc
    .record({ cls: className, other: className, bad: rpcThenable, holder: plantedContainer, direction: fc.constantFrom("argument", "result") })
    // A thenable returned as the whole result is awaited, not serialized: plant results inside something.
    .filter(({ holder, direction }) => !(holder === PLANT_MARKER && direction === "result")),
  scenario({ cls, other, bad, holder, direction }) {
    const callee = js`${code(PLANT_SOURCE)}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(value) { return "received"; }
  give() { return plant(${value(holder)}, ${thenableExpression(bad, "this.env.O")}); }
}`;
    const call = direction === "argument" ? js`env.S.take(plant(${value(holder)}, ${thenableExpression(bad, "env.O")}))` : js`env.S.give()`;
    const target = { binding: "O", service: "other", entrypoint: other };
    return callerAndCallee({
      callee,
      calleeServices: [target],
      workers: [calleeWorker("other", js`export class ${ident(other)} extends WorkerEntrypoint {\n  [${bad.member}]() { return {}; }\n}`)],
      entrypoint: cls,
      probe: js`${code(PLANT_SOURCE)}\nconst result = await observe(() => ${call});\nreturn respond({ result, remote: result.ok ? undefined : result.error?.remote });`,
      probeServices: [target],
    });
  },
  check({ bad, direction }, o: { result: Observed; remote: unknown }) {
    const what = `${thenableExpression(bad, "env.O")} in the ${direction}`;
    if (o.result.ok) throw new Error(`${what}: expected a rejection with a DataCloneError, but the call resolved`);
    expect(o.result.sync, `${what}: the error was thrown synchronously; it must reject the call's promise`).to.not.equal(true);
    const error = o.result.error as DOMException;
    expect(error, `${what}: rejection value`).to.be.instanceOf(DOMException);
    expect(error.name, `${what}: error name`).to.equal("DataCloneError");
    expect(error.message, `${what}: error message`).to.match(REFUSED_TYPE);
    expect(o.remote, `${what}: error.remote`).to.equal(direction === "result" ? true : undefined);
  },
});

const PROXY_REFUSED =
  "Proxy could not be serialized because it is not a valid RPC receiver type. The Proxy must emulate either a plain object or an RpcTarget, as indicated by the Proxy's prototype chain.";

defineTest({
  id: "serialization/proxy",
  title: "a Proxy that emulates a plain object crosses as a stub (typeof function, no own keys) reaching its members; any other Proxy is refused with a DataCloneError",
  requirements: ["SER-PROXY"],
  arbitrary: fc.record({
    cls: className,
    prop: memberName.filter((n) => n !== "then" && n !== "dup" && n !== "m"),
    value: jsonLikeValue,
    n: fc.integer({ min: -1000, max: 1000 }),
    emulates: fc.constantFrom("plain-object", "array", "map"),
    direction: fc.constantFrom("argument", "result"),
  }),
  scenario({ cls, prop, value: generated, emulates, direction }) {
    const make = js`function makeProxy() {
  const target = ${emulates === "plain-object" ? js`{ [${prop}]: ${value(generated)}, m(v) { return v * 3; } }` : emulates === "array" ? js`[1, 2]` : js`new Map()`};
  return new Proxy(target, {});
}
async function look(x, n) {
  return { type: typeof x, keys: Object.keys(x), prop: await x[${prop}], m: await x.m(n) };
}`;
    const callee = js`${make}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(x, n) { return look(x, n); }
  give() { return makeProxy(); }
}`;
    const call = direction === "argument" ? js`env.S.take(makeProxy(), N)` : js`env.S.give().then((x) => look(x, N))`;
    return callerAndCallee({
      callee,
      entrypoint: cls,
      probe: js`${make}\nconst N = 7;\nconst r = await observe(() => ${call});\nreturn respond(r.ok ? r : { ok: false, error: { name: r.error.name, message: r.error.message, instanceofDOMException: r.error instanceof DOMException, remote: r.error.remote } });`,
    });
  },
  check({ value, emulates, direction }, observed) {
    const expected =
      emulates === "plain-object"
        ? { ok: true, value: { type: "function", keys: [], prop: value, m: 21 } }
        : { ok: false, error: { name: "DataCloneError", message: PROXY_REFUSED, instanceofDOMException: true, remote: direction === "result" ? true : undefined } };
    expect(observed, `a Proxy emulating ${emulates} as the ${direction}`).to.deep.equal(expected);
  },
});
