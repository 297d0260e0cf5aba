/**
 * Scenario families of the differential engine. Each family generates plain-data cases (so
 * fast-check can print and shrink them) and turns a case into a scenario: callee workers plus a
 * probe worker whose `fetch` runs a fixed sequence of steps and answers with the deep observation
 * (`observeDeep` from the harness) of everything each step produced. The engine runs the same
 * scenario on two runtimes and compares the answers; families never say what the answer should be.
 *
 * Families are selected with `--grep` (a regular expression on the family name).
 */
import * as fc from "fast-check";
import { HARNESS_SOURCE, type CaseScenario, type WorkerSketch } from "../engine/scenario.ts";
import { encodeInput } from "../harness/harness.js";
import { jsonLikeValue, configJsonValue } from "../arbitraries/values.ts";
import { errorValue, plantedContainer, rejectedKind, structuredValue, PLANT_SOURCE } from "../arbitraries/structured.ts";
import { memberName } from "../arbitraries/names.ts";

export interface Family<Case = any> {
  name: string;
  description: string;
  arbitrary: fc.Arbitrary<Case>;
  scenario(c: Case): CaseScenario;
  /** Share of `--runs` this family gets (default 1); expensive families get less. */
  weight?: number;
}

/** A JS expression that rebuilds `value` (types preserved) where `input` from the harness is in scope. */
const valueExpr = (value: unknown) => `input(${encodeInput(value)})`;
const lit = (text: string) => JSON.stringify(text);

/** The probe's step recorder: `see` runs a step and awaits it (bounded), `look` observes a value as it is. */
const RECORDER = `import { observeDeep, input } from "./harness.js";
const PENDING = Symbol("pending");
function recorder() {
  const steps = [];
  const returned = [];
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  async function see(label, fn, surface = false) {
    let pending;
    try {
      pending = fn();
    } catch (error) {
      steps.push({ label, sync: observeDeep(error) });
      return undefined;
    }
    // What the call returned before it settled: in full for a surface step, else a light shape kept
    // apart (at the end of the answer) so that it never hides a difference in what the call produced.
    if (surface) steps.push({ label, returned: observeDeep(pending) });
    else returned.push({ label, shape: shape(pending) });
    try {
      let timer;
      const value = await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(() => resolve(PENDING), 3000)))]);
      clearTimeout(timer);
      if (value === PENDING) {
        steps.push({ label, pending: true });
        return undefined;
      }
      steps.push({ label, resolved: observeDeep(value) });
      return value;
    } catch (error) {
      steps.push({ label, rejected: observeDeep(error) });
      return undefined;
    }
  }
  /** A step whose answer is already an observation (made by the callee): recorded as it is. */
  async function view(label, fn) {
    try {
      steps.push({ label, view: JSON.parse(await fn()) });
    } catch (error) {
      steps.push({ label, rejected: observeDeep(error) });
    }
  }
  function look(label, value) {
    steps.push({ label, now: observeDeep(value) });
    return value;
  }
  function answer() {
    return new Response(JSON.stringify({ harness: "deep", steps, returned }), { headers: { "content-type": "application/json" } });
  }
  return { steps, returned, see, look, view, sleep, answer };
}
/** A light look at a call result before it is awaited: no property reads that could reach the callee. */
function shape(value) {
  const type = typeof value;
  if (value === null || (type !== "object" && type !== "function")) return { typeof: type };
  return { typeof: type, tag: Object.prototype.toString.call(value), isPromise: value instanceof Promise };
}
`;

function probe(body: string, services: WorkerSketch["services"], extra = ""): WorkerSketch {
  const source = `${RECORDER}${extra}
export default {
  async fetch(request, env, ctx) {
    const { see, look, view, sleep, answer } = recorder();
${body}
    return answer();
  },
};
`;
  return { name: "probe", modules: { "index.js": source, "harness.js": HARNESS_SOURCE }, services, vars: {} };
}

function callee(name: string, source: string, options: Partial<WorkerSketch> = {}): WorkerSketch {
  return {
    name,
    modules: {
      "index.js": `import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";\nimport { input, observeDeep } from "./harness.js";\n${source}`,
      "harness.js": HARNESS_SOURCE,
    },
    services: options.services ?? [],
    vars: options.vars ?? {},
  };
}

// ---------------------------------------------------------------------------------------------
// callee shapes

const RESERVED_MEMBER_NAMES = ["constructor", "fetch", "connect", "dup", "then", "toString", "valueOf", "toJSON", "hasOwnProperty",
  "__proto__", "alarm", "webSocketMessage", "queue", "scheduled", "tail", "test", "email", "env", "ctx", "prototype", "name", "length"];

interface ShapeCase {
  kind: "entrypoint" | "class" | "object" | "function";
  named: boolean;
  explicitDefault: boolean;
  member: "method" | "getter" | "field" | "static" | "private" | "inherited" | "missing" | "async" | "returnsThis";
  name: string;
  args: unknown[];
}

const shapeCase: fc.Arbitrary<ShapeCase> = fc.record({
  kind: fc.constantFrom("entrypoint", "class", "object", "function"),
  named: fc.boolean(),
  explicitDefault: fc.boolean(),
  member: fc.constantFrom("method", "getter", "field", "static", "private", "inherited", "missing", "async", "returnsThis"),
  name: fc.oneof({ weight: 3, arbitrary: memberName }, { weight: 1, arbitrary: fc.constantFrom(...RESERVED_MEMBER_NAMES) }),
  args: fc.array(jsonLikeValue, { maxLength: 2 }),
});

function memberSource(c: ShapeCase, inClass: boolean): string {
  const key = /^[A-Za-z_$][\w$]*$/.test(c.name) ? c.name : `[${lit(c.name)}]`;
  const sep = inClass ? "" : ",";
  switch (c.member) {
    case "method": return `${key}(...args) { return { called: ${lit(c.name)}, args, thisType: typeof this }; }${sep}`;
    case "async": return `async ${key}(...args) { await null; return ["async", ...args]; }${sep}`;
    case "returnsThis": return `${key}() { return this; }${sep}`;
    case "getter": return `get ${key}() { return "getter value"; }${sep}`;
    case "field": return inClass ? `${key} = "field value";` : `${key}: "field value",`;
    case "static": return inClass ? `static ${key}() { return "static"; }` : `${key}() { return "object method"; },`;
    case "private": return inClass ? `#${c.name.replace(/[^\w$]/g, "_") || "p"}() { return "private"; }` : `_${c.name.replace(/[^\w$]/g, "_")}() { return "underscore"; },`;
    case "inherited": return ""; // the base class or prototype provides it
    case "missing": return "";
  }
}

function shapeScenario(c: ShapeCase): CaseScenario {
  const exportName = c.named ? "Target" : "default";
  const head = c.named ? "export const Target =" : "export default";
  const inheritedName = c.member === "inherited" ? c.name : "inheritedOnly";
  const key = /^[A-Za-z_$][\w$]*$/.test(inheritedName) ? inheritedName : `[${lit(inheritedName)}]`;
  let source: string;
  switch (c.kind) {
    case "entrypoint":
    case "class": {
      const base = c.kind === "entrypoint" ? "WorkerEntrypoint" : "Object";
      source = `class Base extends ${base} { ${key}(...args) { return ["inherited", ...args]; } }
${head} class extends Base {
  ${memberSource(c, true)}
  plain() { return "plain"; }
  ${c.named ? "" : `fetch() { return new Response("fetched"); }`}
};`;
      break;
    }
    case "object":
      source = `const proto = { ${key}(...args) { return ["inherited", ...args]; } };
${head} Object.assign(Object.create(proto), {
  ${memberSource(c, false)}
  plain() { return "plain"; },
  fetch() { return new Response("fetched"); },
});`;
      break;
    case "function":
      source = `${head} Object.assign(function target(...args) { return ["called", ...args]; }, {
  ${memberSource(c, false)}
  plain() { return "plain"; },
});`;
      break;
  }
  const entrypoint = c.named ? exportName : c.explicitDefault ? "default" : undefined;
  const args = c.args.map(valueExpr).join(", ");
  const name = lit(c.name);
  const body = `
    look("binding", env.S);
    look("handle", env.S[${name}]);
    await see("call", () => env.S[${name}](${args}), true);
    await see("get", () => env.S[${name}]);
    await see("plain", () => env.S.plain());
    await see("fetch", async () => { const r = await env.S.fetch("http://callee.invalid/"); return { status: r.status, body: await r.text() }; });`;
  return {
    workers: [callee("callee", source), probe(body, [{ binding: "S", service: "callee", ...(entrypoint !== undefined && { entrypoint }) }])],
    probe: "probe",
  };
}

// ---------------------------------------------------------------------------------------------
// values: the serialisation table, odd objects, refused values

/** Object shapes the structured-clone table does not cover, as source; each becomes a result or argument. */
const ODD_OBJECTS = [
  `({ a: 1, [Symbol("s")]: 2 })`,
  `Object.defineProperty({ visible: 1 }, "hidden", { value: 2, enumerable: false })`,
  `({ get computed() { return 42; }, plain: 1 })`,
  `({ toJSON() { return "json"; }, x: 1 })`,
  `Object.freeze({ frozen: [1, 2] })`,
  `Object.assign([1, 2, 3], { extra: "prop" })`,
  `({ __proto__: { inherited: 1 }, own: 2 })`,
  `({ ["__proto__"]: 5 })`,
  `new Response("body")`,
  `new Request("http://x.invalid/r", { method: "POST", body: "b" })`,
  `new Headers({ a: "1" })`,
  `new URL("http://x.invalid/u?q=1")`,
  `new ReadableStream({ start(c) { c.enqueue("a string chunk"); c.close(); } })`,
  `new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } })`,
  `new Blob(["blob"])`,
  `new TextEncoder().encode("bytes")`,
  `new DOMException("dom message", "DataCloneError")`,
  `Promise.resolve(7)`,
  `[Promise.resolve(7)]`,
  `({ nested: Promise.resolve(8) })`,
  `new Proxy({ a: 1 }, {})`,
  `new Proxy([1], {})`,
  `Object.create(null)`,
  `new (class Point { constructor() { this.x = 1; } })()`,
  `new (class Rt extends RpcTarget { m() { return 1; } })()`,
  `(x) => x`,
  `[(x) => x]`,
  `({ f(y) { return y; } })`,
  `new Error("plain")`,
  `Object.assign(new Error("with remote"), { remote: false })`,
  `new WeakMap()`,
  `Symbol("alone")`,
  `new BigInt64Array([1n])`,
  `new Float64Array([NaN, -0])`,
  `new Date(NaN)`,
  `new Map([[{}, Symbol("v")]])`,
];

type ValueCase =
  | { source: "structured"; direction: "argument" | "result" | "echo"; value: unknown }
  | { source: "odd"; direction: "argument" | "result" | "echo"; expression: string }
  | { source: "refused"; direction: "argument" | "result"; holder: unknown; expression: string };

const direction = fc.constantFrom<"argument" | "result" | "echo">("argument", "result", "echo");
const valueCase: fc.Arbitrary<ValueCase> = fc.oneof(
  fc.record({ source: fc.constant("structured" as const), direction, value: fc.oneof(structuredValue, errorValue) }),
  fc.record({ source: fc.constant("odd" as const), direction, expression: fc.constantFrom(...ODD_OBJECTS) }),
  fc.record({
    source: fc.constant("refused" as const),
    direction: fc.constantFrom<"argument" | "result">("argument", "result"),
    holder: plantedContainer,
    expression: rejectedKind.map((k) => k.expression),
  }),
);

function valueScenario(c: ValueCase): CaseScenario {
  const make = c.source === "structured" ? valueExpr(c.value) : c.source === "odd" ? c.expression : `plant(${valueExpr(c.holder)}, ${c.expression})`;
  const source = `${PLANT_SOURCE}
export default class extends WorkerEntrypoint {
  take(x) { return JSON.stringify(observeDeep(x)); }
  give() { return ${make}; }
  echo(x) { return x; }
}`;
  const call = c.direction === "argument" ? `env.S.take(${make})` : c.direction === "result" ? `env.S.give()` : `env.S.echo(${make})`;
  // An argument is observed where it arrives: the callee answers with its own deep observation.
  const body = c.direction === "argument" ? `    await view("argument", () => ${call});` : `    await see(${lit(c.direction)}, () => ${call});`;
  return { workers: [callee("callee", source), probe(body, [{ binding: "S", service: "callee" }], PLANT_SOURCE)], probe: "probe" };
}

// ---------------------------------------------------------------------------------------------
// thrown values

const THROWN = [
  `new Error("plain message")`,
  `new TypeError("type message")`,
  `new RangeError("range message")`,
  `new SyntaxError("syntax message")`,
  `new (class MyError extends Error {})("custom class")`,
  `Object.assign(new (class Named extends Error { name = "Named"; })("named"))`,
  `new DOMException("dom", "AbortError")`,
  `new DOMException("dom clone", "DataCloneError")`,
  `new AggregateError([new Error("inner"), 1], "aggregate")`,
  `new Error("with cause", { cause: new TypeError("the cause") })`,
  `new Error("with value cause", { cause: { code: 1 } })`,
  `Object.assign(new Error("with props"), { code: 42, remote: "no", detail: { a: [1] } })`,
  `Object.assign(new Error("odd name"), { name: 7 })`,
  `Object.assign(new Error(""), { message: 12 })`,
  `"a string"`,
  `42`,
  `undefined`,
  `null`,
  `{ message: "not an error" }`,
  `[1, 2]`,
  `Symbol("thrown")`,
  `new Response("thrown response")`,
  `new Error("x".repeat(2000))`,
];

interface ThrowCase {
  how: "throw" | "reject" | "getter" | "asyncThrow" | "constructor";
  thrown: { expression: string } | { error: unknown };
}

const throwCase: fc.Arbitrary<ThrowCase> = fc.record({
  how: fc.constantFrom("throw", "reject", "getter", "asyncThrow", "constructor"),
  thrown: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...THROWN).map((expression) => ({ expression })) }, errorValue.map((error) => ({ error }))),
});

function throwScenario(c: ThrowCase): CaseScenario {
  const what = "expression" in c.thrown ? c.thrown.expression : valueExpr(c.thrown.error);
  const member = {
    throw: `boom() { throw ${what}; }`,
    reject: `boom() { return Promise.reject(${what}); }`,
    getter: `get boom() { throw ${what}; }`,
    asyncThrow: `async boom() { await null; throw ${what}; }`,
    constructor: `constructor(ctx, env) { super(ctx, env); throw ${what}; }\n  boom() { return "unreachable"; }`,
  }[c.how];
  const source = `export default class extends WorkerEntrypoint {\n  ${member}\n}`;
  const body = c.how === "getter" ? `    await see("get", () => env.S.boom);\n    await see("call", () => env.S.boom());` : `    await see("call", () => env.S.boom());`;
  return { workers: [callee("callee", source), probe(body, [{ binding: "S", service: "callee" }])], probe: "probe" };
}

// ---------------------------------------------------------------------------------------------
// stubs: RpcTargets and functions by reference, and what a caller can do with them

const STUB_OPS = ["call", "dup", "dispose", "passBack", "forward", "pipelineProp", "pipelineElement", "pipelineCall", "callDup", "look"] as const;
type StubOp = (typeof STUB_OPS)[number];
interface StubCase {
  target: "rpcTarget" | "function" | "nested";
  ops: StubOp[];
}

const stubCase: fc.Arbitrary<StubCase> = fc.record({
  target: fc.constantFrom("rpcTarget", "function", "nested"),
  ops: fc.array(fc.constantFrom(...STUB_OPS), { minLength: 1, maxLength: 5 }),
});

// Counter has a disposer so both runtimes take their disposal paths; when it runs is not observed
// (spec/incidental.md, timing: workerd was not seen running it for a returned target at all).
const STUB_CALLEE = `class Counter extends RpcTarget {
  n = 0;
  inc(d = 1) { return (this.n += d); }
  get value() { return this.n; }
  get child() { return new Counter(); }
  list() { return [new Counter(), (x) => ["fn", x]]; }
  [Symbol.dispose]() {}
}
export default class extends WorkerEntrypoint {
  makeTarget() { return new Counter(); }
  makeFunction() { return (x) => ["fn", x]; }
  makeNested() { return { t: new Counter(), list: [new Counter(), (x) => ["fn", x]] }; }
  echo(x) { return x; }
  callIt(x, ...a) { return typeof x === "function" && !("inc" in x) ? x(...a) : x.inc(...a); }
}`;

const RELAY_CALLEE = `export default class extends WorkerEntrypoint {
  relay(x) { return this.env.A.callIt(x, 3); }
  hold(x) { return typeof x; }
}`;

function stubScenario(c: StubCase): CaseScenario {
  const get = { rpcTarget: "env.A.makeTarget()", function: "env.A.makeFunction()", nested: "env.A.makeNested()" }[c.target];
  const use = (s: string) => (c.target === "function" ? `${s}(2)` : c.target === "nested" ? `${s}.t.inc(2)` : `${s}.inc(2)`);
  const lines = [`    let s = await see("get", () => ${get});`, `    if (s === undefined) return answer();`, `    look("stub", s);`];
  c.ops.forEach((op, i) => {
    const label = lit(`${i}:${op}`);
    const step = {
      call: `await see(${label}, () => ${use("s")});`,
      dup: `{ const d = await see(${label}, () => s.dup()); if (d !== undefined) s = d; }`,
      dispose: `await see(${label}, () => s[Symbol.dispose]());`,
      passBack: `{ const back = await see(${label}, () => env.A.echo(s)); if (back !== undefined) await see(${label} + ":use", () => ${use("back")}); }`,
      forward: `await see(${label}, () => env.B.relay(${c.target === "nested" ? "s.t" : "s"}));`,
      pipelineProp: `await see(${label}, () => env.A.makeTarget().child.inc(5));`,
      pipelineElement: `await see(${label}, () => env.A.makeNested().list[0].inc(1)); await see(${label} + ":fn", () => env.A.makeNested().list[1](9));`,
      pipelineCall: `await see(${label}, () => env.A.makeTarget().inc(4));`,
      callDup: `await see(${label}, () => env.A.callIt(${c.target === "nested" ? "s.t" : "s"}, 1));`,
      look: `look(${label}, s);`,
    }[op];
    lines.push(`    ${step}`);
  });
  return {
    workers: [
      callee("a", STUB_CALLEE),
      callee("b", RELAY_CALLEE, { services: [{ binding: "A", service: "a" }] }),
      probe(lines.join("\n"), [{ binding: "A", service: "a" }, { binding: "B", service: "b" }]),
    ],
    probe: "probe",
  };
}

// ---------------------------------------------------------------------------------------------
// ctx and env, as the callee sees them

interface ContextCase {
  vars: Record<string, unknown>;
  props?: Record<string, unknown>;
  named: boolean;
}

const contextCase: fc.Arbitrary<ContextCase> = fc.record(
  {
    vars: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), configJsonValue, { maxKeys: 3, noNullPrototype: true }),
    props: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), configJsonValue, { maxKeys: 2, noNullPrototype: true }),
    named: fc.boolean(),
  },
  { requiredKeys: ["vars", "named"] },
);

function contextScenario(c: ContextCase): CaseScenario {
  const cls = `class extends WorkerEntrypoint {
  ctxView() { return JSON.stringify(observeDeep(this.ctx)); }
  envView() { return JSON.stringify(observeDeep(this.env)); }
  propsView() { return JSON.stringify(observeDeep(this.ctx.props)); }
  selfView() { return JSON.stringify(observeDeep(this)); }
}`;
  const source = c.named ? `export const Named = ${cls};\nexport default { fetch() { return new Response("d"); } };` : `export default ${cls};`;
  const body = ["ctxView", "envView", "propsView", "selfView"].map((m) => `    await view(${lit(m)}, () => env.S.${m}());`).join("\n");
  const service = { binding: "S", service: "callee", ...(c.named && { entrypoint: "Named" }), ...(c.props !== undefined && { props: c.props }) };
  return {
    workers: [callee("callee", source, { vars: c.vars, services: [{ binding: "SELF", service: "callee" }] }), probe(body, [service])],
    probe: "probe",
  };
}

// ---------------------------------------------------------------------------------------------
// fetch() and connect() on a binding

const FETCH_ARGS = [
  ``, `"http://callee.invalid/path?q=1"`, `"https://callee.invalid/"`, `"/relative"`, `"not a url"`, `""`, `42`, `undefined`, `null`, `{}`,
  `new URL("http://callee.invalid/u")`, `new Request("http://callee.invalid/r", { method: "POST", body: "req body" })`,
  `"http://callee.invalid/", { method: "PUT", body: "put body" }`, `"http://callee.invalid/", { headers: { "x-a": "1" } }`,
  `"http://callee.invalid/", { method: "GET", body: "not allowed" }`, `"http://callee.invalid/", "init string"`,
  `"http://callee.invalid/", { method: "bad method!" }`, `"ftp://callee.invalid/"`,
  `"http://callee.invalid/", { body: new ReadableStream({ start(c) { c.enqueue("str"); c.close(); } }), method: "POST" }`,
];
const CONNECT_ARGS = [``, `"callee.invalid:80"`, `{ hostname: "callee.invalid", port: 80 }`, `""`, `42`, `"no-port"`, `null`];

interface FetchCase {
  method: "fetch" | "connect";
  args: string;
}

const fetchCase: fc.Arbitrary<FetchCase> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ method: fc.constant("fetch" as const), args: fc.constantFrom(...FETCH_ARGS) }) },
  { weight: 1, arbitrary: fc.record({ method: fc.constant("connect" as const), args: fc.constantFrom(...CONNECT_ARGS) }) },
);

function fetchScenario(c: FetchCase): CaseScenario {
  const source = `export default class extends WorkerEntrypoint {
  async fetch(request) {
    const body = await request.text();
    return new Response(JSON.stringify({ method: request.method, url: request.url, headers: [...request.headers].filter(([k]) => k.startsWith("x-") || k === "content-type"), body }));
  }
}`;
  const body =
    c.method === "fetch"
      ? `    const r = await see("fetch", () => env.S.fetch(${c.args}));
    if (r !== undefined) await see("response", async () => ({ status: r.status, statusText: r.statusText, body: await r.text() }));`
      : `    const socket = await see("connect", () => env.S.connect(${c.args}));
    if (socket !== undefined) { look("socket", socket); await see("opened", () => socket.opened); await see("close", () => socket.close()); }`;
  return { workers: [callee("callee", source), probe(body, [{ binding: "S", service: "callee" }])], probe: "probe" };
}

// ---------------------------------------------------------------------------------------------
// waitUntil, promises left running after the response, RpcTarget disposers

interface AfterCase {
  work: "waitUntil" | "floating" | "waitUntilReject" | "waitUntilValue" | "disposer";
  delay: number;
  wait: number;
}

const afterCase: fc.Arbitrary<AfterCase> = fc.record({
  work: fc.constantFrom("waitUntil", "floating", "waitUntilReject", "waitUntilValue", "disposer"),
  delay: fc.constantFrom(0, 5, 30),
  wait: fc.constantFrom(0, 100),
});

function afterScenario(c: AfterCase): CaseScenario {
  const work = {
    waitUntil: `this.ctx.waitUntil(new Promise((r) => setTimeout(() => { log.push("waitUntil ran"); r(); }, ${c.delay})));`,
    floating: `new Promise((r) => setTimeout(() => { log.push("floating ran"); r(); }, ${c.delay}));`,
    waitUntilReject: `this.ctx.waitUntil(new Promise((_, no) => setTimeout(() => { log.push("rejecting"); no(new Error("late")); }, ${c.delay})));`,
    waitUntilValue: `try { this.ctx.waitUntil(42); log.push("accepted 42"); } catch (e) { log.push("threw " + e.constructor.name + ": " + e.message); }`,
    disposer: `return new (class T extends RpcTarget { m() { return 1; } [Symbol.dispose]() { log.push("disposed"); } })();`,
  }[c.work];
  const source = `const log = [];
export default class extends WorkerEntrypoint {
  start() { log.push("start"); ${work} return "started"; }
  log() { return log.slice(); }
}`;
  const body = `    const started = await see("start", () => env.S.start());
    ${c.work === "disposer" ? `if (started && typeof started === "object") { await see("use", () => started.m()); started[Symbol.dispose](); }` : ""}
    await sleep(${c.wait + c.delay});
    await see("log", () => env.S.log());`;
  return { workers: [callee("callee", source), probe(body, [{ binding: "S", service: "callee" }])], probe: "probe" };
}

// ---------------------------------------------------------------------------------------------
// sizes around the 32 MiB limit (expensive: few runs)

interface SizeCase {
  kind: "string" | "bytes";
  delta: number;
  direction: "argument" | "result";
}

const LIMIT = 32 * 1024 * 1024;
const sizeCase: fc.Arbitrary<SizeCase> = fc.record({
  kind: fc.constantFrom("string", "bytes"),
  delta: fc.integer({ min: -12, max: 4 }),
  direction: fc.constantFrom("argument", "result"),
});

function sizeScenario(c: SizeCase): CaseScenario {
  const n = LIMIT + c.delta;
  const make = c.kind === "string" ? `"a".repeat(${n})` : `new Uint8Array(${n})`;
  const source = `export default class extends WorkerEntrypoint {
  take(x) { return x.length; }
  give() { return ${make}; }
}`;
  const call = c.direction === "argument" ? `env.S.take(${make})` : `env.S.give().then((x) => x.length)`;
  return { workers: [callee("callee", source), probe(`    await see("size", () => ${call});`, [{ binding: "S", service: "callee" }])], probe: "probe" };
}

// ---------------------------------------------------------------------------------------------

export const FAMILIES: Family[] = [
  { name: "shapes", description: "callee shapes: export kinds, member kinds, reserved names", arbitrary: shapeCase, scenario: shapeScenario },
  { name: "values", description: "arguments and results: the serialisation table, odd objects, refused values", arbitrary: valueCase, scenario: valueScenario },
  { name: "throws", description: "thrown and rejected values of every kind", arbitrary: throwCase, scenario: throwScenario },
  { name: "stubs", description: "stub operations: dup, dispose, pass back, forward, pipelining", arbitrary: stubCase, scenario: stubScenario },
  { name: "context", description: "ctx, env, props and the entrypoint instance as the callee sees them", arbitrary: contextCase, scenario: contextScenario },
  { name: "fetch-connect", description: "fetch() and connect() on a binding with generated arguments", arbitrary: fetchCase, scenario: fetchScenario },
  { name: "after-response", description: "waitUntil, promises left running, RpcTarget disposers", arbitrary: afterCase, scenario: afterScenario },
  { name: "limits", description: "sizes around the 32 MiB limit", arbitrary: sizeCase, scenario: sizeScenario, weight: 0.05 },
];

export function selectFamilies(grep?: string): Family[] {
  if (!grep) return FAMILIES;
  const re = new RegExp(grep);
  return FAMILIES.filter((f) => re.test(f.name));
}

/** The building blocks, for families defined elsewhere (the engine's own tests). */
export { callee as deepCallee, probe as deepProbe, valueExpr };
