/**
 * The normalisation list: differences between two runtimes' observations that are incidental,
 * not behaviour a program can rely on. Each entry implements one entry of spec/incidental.md (the
 * one place the spec lists what it leaves free) and names it in `incidental`; the two lists change
 * together. Entries of incidental.md with no normalisation here are not observed by any family
 * (host-version globals, recursion-depth thresholds) or are kept out of the observation by the
 * families themselves (timing: see the after-response family). Both observations go through every entry before they are compared, so an entry
 * can only hide a difference, never create one. Adding an entry is a claim that must be argued
 * in its `reason`; the fidelity work prefers fixing the runtime to growing this list.
 */

export interface Normalisation {
  name: string;
  reason: string;
  /** The spec/incidental.md section (and entry) this implements. */
  incidental: string;
  /** Rewrite one node of the observation tree (called bottom-up on every object node). */
  apply(node: Record<string, unknown>): void;
}

/** Messages and stack lines: file names with line and column numbers. */
const SOURCE_POSITION = /\(?(?:file:\/\/|https?:\/\/)?[\w./\\-]+\.(?:js|mjs|cjs|ts):\d+(?::\d+)?\)?/g;

function rewriteStrings(node: Record<string, unknown>, rewrite: (text: string) => string): void {
  for (const [key, value] of Object.entries(node)) if (typeof value === "string") node[key] = rewrite(value);
}

export const NORMALISATIONS: Normalisation[] = [
  {
    name: "stack-frames",
    incidental: "Stacks and source positions: the text of error.stack beyond its first line",
    reason: "A stack's frames name files, lines and host functions of the runtime itself; only its first line (name and message) is behaviour. The harness already records a stack as its first line and line count; the count goes.",
    apply(node) {
      if (node.t === "stack") delete node.lines;
    },
  },
  {
    name: "stack-descriptor",
    incidental: "Stacks and source positions: whether stack is an own data property or an accessor",
    reason: "Whether an error's `stack` is an own data property (Node 20's V8, hence the reference) or an own accessor pair (the newer V8 inside workerd) depends on the V8 version, not on RPC; only its presence and first line are compared.",
    apply(node) {
      if (node.key !== "stack") return;
      if (node.kind === "accessor") {
        node.value = (node.read as { ok?: unknown } | undefined)?.ok ?? node.read;
        delete node.read;
        delete node.get;
        delete node.set;
      }
      node.kind = "stack";
      delete node.flags;
    },
  },
  {
    name: "source-positions",
    incidental: "Stacks and source positions: line and column numbers in any message",
    reason: "File names, line and column numbers in messages depend on how each runtime loads modules (bundled, compiled, vm), not on the program's behaviour.",
    apply(node) {
      rewriteStrings(node, (text) => text.replace(SOURCE_POSITION, "<position>"));
    },
  },
  {
    name: "internal-error-ids",
    incidental: "Internal error identifiers",
    reason: "workerd tags internal errors with a random reference id (\"internal error; reference = 0abc…\"); the id changes on every run.",
    apply(node) {
      rewriteStrings(node, (text) => text.replace(/reference = [0-9a-z]+/g, "reference = <id>"));
    },
  },
];

/** Web API classes a runtime takes from its host (undici in Node, workerd's own in C++). */
const HOST_WEB_TAGS = new Set(["[object Response]", "[object Request]", "[object Headers]", "[object ReadableStream]", "[object WritableStream]",
  "[object Blob]", "[object URL]", "[object URLSearchParams]", "[object FormData]", "[object AbortSignal]"]);

NORMALISATIONS.push({
  name: "host-web-object-layout",
  incidental: "Host engine and platform versions: Web API classes taken from the host (Response, Request, Headers, streams, Blob, URL)",
  reason: "Response, Request, Headers, streams, Blob and URL come from the host's Web API implementation (undici in Node, C++ in workerd): their internal own keys, intermediate prototypes (workerd's Body) and `in` answers describe that implementation, not RPC. Their tag, realm identity (instanceOf), String/JSON and constructor stay compared.",
  apply(node) {
    const first = Array.isArray(node.proto) ? node.proto[0] : undefined;
    const host = (typeof node.tag === "string" && HOST_WEB_TAGS.has(node.tag)) || (typeof first === "string" && HOST_WEB_TAGS.has(`[object ${first}]`));
    if (!host) return;
    node.proto = Array.isArray(node.proto) ? node.proto.slice(0, 1) : node.proto;
    delete node.keys;
    delete node.keyCount;
    delete node.in;
  },
});

/** The members of ctx the CTX-* requirements name (spec/ctx.md). */
const CTX_REQUIRED = new Set(["waitUntil", "passThroughOnException", "props", "exports"]);

NORMALISATIONS.push({
  name: "ctx-extra-members",
  incidental: "ExecutionContext: the own keys of ctx beyond the members CTX-* requires, and its class",
  reason: "workerd adds ctx members with compatibility dates and internal ones (tracing; access and cache under 2024-04-03; abort), and ctx is an instance of a host class that cannot be constructed. Programs must feature-test them; only waitUntil, passThroughOnException, props and exports are compared, in own keys, Object.keys and JSON alike, and the constructor's behaviour is dropped.",
  apply(node) {
    if (node.t !== "object" || !Array.isArray(node.proto) || node.proto[0] !== "ExecutionContext") return;
    if (Array.isArray(node.keys)) node.keys = node.keys.filter((k: any) => typeof k?.key !== "string" || CTX_REQUIRED.has(k.key));
    const objectKeys = (node.surface as any)?.objectKeys;
    if (Array.isArray(objectKeys?.ok)) objectKeys.ok = objectKeys.ok.filter((k: string) => CTX_REQUIRED.has(k));
    if (node.surface && typeof node.surface === "object") delete (node.surface as any).newConstructor;
    // Its JSON text is dropped, not filtered: workerd's extra members can make it long enough for
    // the observation to shorten it where the reference's is not, so no filtering of the text
    // gives the same result on both sides. What the text holds is compared through the keys.
    if (typeof node.json === "string") node.json = "<JSON text of ctx>";
  },
});

/**
 * Whether a deep-observation node is a ctx: an ExecutionContext (by the time its holder is
 * normalised, internal-class-names has made that name the placeholder) with its own `props`.
 */
function isCtxNode(node: any): boolean {
  if (!node || node.t !== "object" || !Array.isArray(node.keys) || !Array.isArray(node.proto)) return false;
  if (node.proto[0] !== "ExecutionContext" && node.proto[0] !== INTERNAL) return false;
  return node.keys.some((k: any) => k?.key === "props");
}

NORMALISATIONS.push({
  name: "ctx-extra-members-in-json",
  incidental: "ExecutionContext: the own keys of ctx beyond the members CTX-* requires, and its class",
  reason: "The same extra ctx members, seen through the JSON text of an object that holds ctx as an own data property (an entrypoint's `this` has ctx and env): the text is dropped, since workerd's extra members can make it long enough to be shortened where the reference's is not (seen under 2024-04-03 with a large env var); the holder's keys and values, ctx's required members among them, stay compared on their own.",
  apply(node) {
    if (typeof node.json !== "string" || !Array.isArray(node.keys)) return;
    if (node.keys.some((k: any) => typeof k?.key === "string" && k.kind === "data" && isCtxNode(k.value))) node.json = "<JSON text holding ctx>";
  },
});

/**
 * Class names of RPC's own handles and of ExecutionContext, as either runtime names them (on the
 * prototype chain, in @@toStringTag, in the constructor's name). A node whose prototype chain
 * starts with one of them is such a handle, whatever its tag says.
 */
const INTERNAL_CLASSES = new Set(["RpcStub", "RpcPromise", "RpcProperty", "JsRpcStub", "JsRpcPromise", "JsRpcProperty", "Fetcher",
  "ExecutionContext", "LoopbackServiceStub", "ServiceStub"]);
const INTERNAL = "<internal class>";
const INTERNAL_TAG = `[object ${INTERNAL}]`;
const internalTag = (tag: unknown) => typeof tag === "string" && /^\[object (\w+)\]$/.test(tag) && INTERNAL_CLASSES.has(tag.slice(8, -1));

NORMALISATIONS.push({
  name: "internal-class-names",
  incidental: "Internal class names and string tags: host class names, their tags and so String(x) of a stub, binding or call",
  reason: "workerd's handles are host classes (JsRpcStub, JsRpcPromise, JsRpcProperty, Fetcher, ExecutionContext, LoopbackServiceStub) whose names show in their prototype chains, their @@toStringTag and so in Object.prototype.toString and String(x); another runtime has other classes. Those names become one placeholder, the tag of a handle (a node whose chain starts with such a class) too, and `Symbol.toStringTag in x` (how the tag is made) is dropped for handles. typeof, instanceof, own keys, `in` for every other key, JSON and calling stay compared.",
  apply(node) {
    if (typeof node.isPromise === "boolean" && typeof node.typeof === "string" && "tag" in node) {
      // A call result's light shape before it settles (see RECORDER in families.ts): always an RPC handle.
      if (node.typeof === "function" && !node.isPromise) node.tag = INTERNAL_TAG;
      return;
    }
    if (node.t !== "object" && node.t !== "function") {
      // The constructor as surface() records it: { typeof, class, name }.
      if (typeof node.name === "string" && INTERNAL_CLASSES.has(node.name) && node.typeof === "function") node.name = INTERNAL;
      return;
    }
    const proto = Array.isArray(node.proto) ? node.proto : [];
    const handle = (typeof proto[0] === "string" && INTERNAL_CLASSES.has(proto[0])) || internalTag(node.tag);
    node.proto = Array.isArray(node.proto) ? proto.map((name) => (typeof name === "string" && INTERNAL_CLASSES.has(name) ? INTERNAL : name)) : node.proto;
    if (!handle) return;
    if (typeof node.string === "string" && node.string === node.tag) node.string = INTERNAL_TAG;
    node.tag = INTERNAL_TAG;
    if (Array.isArray(node.in)) node.in = node.in.filter((key) => key !== "@@toStringTag");
  },
});

/** workerd's own symbol-keyed members of its host classes' prototypes. */
const HOST_INTERNAL_SYMBOLS = new Set(["cloudflare:internal-class", "kResourceTypeInspect"]);
const HOST_FUNCTION = "<host function>";

NORMALISATIONS.push({
  name: "handle-class-functions",
  incidental: "Internal class names and string tags: the source text of a handle class's constructor and methods, and workerd's internal symbols on its prototype",
  reason: "A handle's class (env.S.constructor, a stub's RpcStub…) and the methods on its prototype (fetch, connect, then…) are native functions in workerd (`function Fetcher() { [native code] }`) and JavaScript in a runtime written in it; their prototypes (however reached: env.S.__proto__ too) also carry workerd's own bookkeeping symbols (cloudflare:internal-class, kResourceTypeInspect), dropped wherever they show. Their names, lengths, flags, calling and constructing stay compared.",
  apply(node) {
    if (!Array.isArray(node.keys)) return;
    const internal = (k: any) => k?.key && typeof k.key === "object" && HOST_INTERNAL_SYMBOLS.has(k.key.symbol);
    if (node.t === "object") node.keys = (node.keys as any[]).filter((k) => !internal(k));
    if (node.t !== "function") return;
    const name = (node.keys as any[]).find((k) => k?.key === "name")?.value?.v;
    if (typeof name !== "string" || !INTERNAL_CLASSES.has(name)) return;
    if (typeof node.string === "string") node.string = HOST_FUNCTION;
    const proto = (node.keys as any[]).find((k) => k?.key === "prototype")?.value;
    if (!proto || typeof proto !== "object" || !Array.isArray(proto.keys)) return;
    proto.keys = proto.keys.filter((k: any) => !internal(k));
    for (const k of proto.keys) if (k?.value?.t === "function" && typeof k.value.string === "string") k.value.string = HOST_FUNCTION;
  },
});

/** The own keys a DOMException instance has on one platform and not the other. */
const DOMEXCEPTION_OWN = new Set(["code", "name", "message"]);

NORMALISATIONS.push({
  name: "domexception-own-keys",
  incidental: "Host engine and platform versions: the own properties of a DOMException instance",
  reason: "workerd's DOMException instances have own data properties code, name and message (so JSON.stringify shows them) and an enumerable own stack; Node's have none of those (prototype accessors). That is how each platform builds the class, for every DOMException, not what RPC does; the values read through them (error.name/message/code) stay compared.",
  apply(node) {
    if (node.t !== "object" || !Array.isArray(node.proto) || node.proto[0] !== "DOMException") return;
    if (Array.isArray(node.keys)) node.keys = node.keys.filter((k: any) => !(typeof k?.key === "string" && DOMEXCEPTION_OWN.has(k.key) && k.kind === "data"));
    const error = node.error as Record<string, any> | undefined;
    if (error && Array.isArray(error.ownNames?.ok)) error.ownNames = { ok: error.ownNames.ok.filter((k: string) => !DOMEXCEPTION_OWN.has(k)) };
    // JSON.stringify of it is its enumerable own keys, compared in full above (the text may be shortened).
    if (typeof node.json === "string") node.json = "<its own keys>";
    // workerd's DOMException also has an enumerable own `stack` accessor (its descriptor is already
    // left free by stack-descriptor), so Object.keys lists it.
    const objectKeys = (node.surface as any)?.objectKeys;
    if (Array.isArray(objectKeys?.ok)) objectKeys.ok = objectKeys.ok.filter((k: string) => !DOMEXCEPTION_OWN.has(k) && k !== "stack");
  },
});

/** Node 20 polyfills the well-known disposal symbols with these descriptions. */
const DISPOSE_DESCRIPTIONS: Record<string, string> = { "nodejs.dispose": "Symbol.dispose", "nodejs.asyncDispose": "Symbol.asyncDispose" };

NORMALISATIONS.push({
  name: "dispose-symbol-description",
  incidental: "Host engine and platform versions: the description of Symbol.dispose / Symbol.asyncDispose",
  reason: "The well-known Symbol.dispose is described \"Symbol.dispose\" on workerd and \"nodejs.dispose\" on Node 20, which polyfills it: a property of the JavaScript engine's version. The symbol is compared by that description, so the Node spelling is rewritten to the standard one.",
  apply(node) {
    const key = node.key as { symbol?: unknown } | undefined;
    if (key && typeof key === "object" && typeof key.symbol === "string" && key.symbol in DISPOSE_DESCRIPTIONS) node.key = { symbol: DISPOSE_DESCRIPTIONS[key.symbol] };
    if (node.t === "symbol" && typeof node.v === "string" && node.v in DISPOSE_DESCRIPTIONS) node.v = DISPOSE_DESCRIPTIONS[node.v];
  },
});

NORMALISATIONS.push({
  name: "runtime-function-prototype",
  incidental: "Host engine and platform versions: whether a function the runtime hands out has a `prototype` own property, and its source text",
  reason: "A result's [Symbol.dispose] is made by the runtime: a native function without `prototype` in workerd (String(f) 'function () { [native code] }'), a JS function in the reference. Whether it has a prototype and its source text depend on how the host makes functions; its presence, typeof, flags and calling stay compared.",
  apply(node) {
    const key = node.key as { symbol?: unknown } | undefined;
    const value = node.value as Record<string, any> | undefined;
    if (!key || typeof key !== "object" || (key.symbol !== "Symbol.dispose" && key.symbol !== "Symbol.asyncDispose")) return;
    if (!value || value.t !== "function") return;
    if (Array.isArray(value.keys)) value.keys = value.keys.filter((k: any) => k?.key !== "prototype");
    if (Array.isArray(value.in)) value.in = value.in.filter((k: unknown) => k !== "prototype");
    if (typeof value.string === "string") value.string = "<function source>";
  },
});

/** Apply every normalisation (or those named in `only`) to a deep copy of `tree`. */
export function normalise(tree: unknown, only?: readonly string[]): unknown {
  const active = only ? NORMALISATIONS.filter((n) => only.includes(n.name)) : NORMALISATIONS;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) copy[key] = walk(child);
    for (const n of active) n.apply(copy);
    return copy;
  };
  return renumber(walk(tree));
}

/**
 * Object ids (shared references and cycles, `{ t: "ref", id }`) renumbered in order of appearance,
 * each observation (a tree whose root has id 1) on its own: a node an entry removed (a ctx member,
 * say) must not shift the ids after it. Which nodes are shared stays exactly as observed.
 */
function renumber(tree: unknown): unknown {
  let map = new Map<number, number>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    if (typeof node.id === "number" && typeof node.t === "string") {
      if (node.t !== "ref" && node.id === 1) map = new Map();
      let id = map.get(node.id);
      if (id === undefined) map.set(node.id, (id = map.size + 1));
      node.id = id;
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(tree);
  return tree;
}

/**
 * The `outcomes` lens (`npm run diff -- --lens=outcomes`): not a normalisation (it hides real
 * differences) but a way to look past surface differences at behaviour. Each step keeps how it
 * ended (resolved, rejected, threw synchronously, still pending) and, for what it produced, only
 * primitives, error names and messages, and the shape of plain containers; stubs, host objects and
 * functions become their `typeof`. Call-result shapes are dropped.
 */
export function outcomesLens(observation: unknown): unknown {
  if (observation === null || typeof observation !== "object") return observation;
  const o = observation as { outcome?: unknown; steps?: Array<Record<string, unknown>> };
  if (!Array.isArray(o.steps)) return { outcome: o.outcome };
  return {
    outcome: o.outcome,
    steps: o.steps.map((step) => {
      const kind = Object.keys(step).find((k) => k !== "label")!;
      return { label: step.label, [kind]: essence(step[kind], 0) };
    }),
  };
}

function essence(node: unknown, depth: number): unknown {
  if (node === null || typeof node !== "object" || depth > 8) return node;
  const n = node as Record<string, any>;
  if (Array.isArray(node)) return node.map((x) => essence(x, depth + 1));
  if (typeof n.t !== "string") return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, essence(v, depth + 1)]));
  if (n.t !== "object" && n.t !== "function") return n.t === "stack" ? { t: "stack", firstLine: n.firstLine } : n;
  if (n.error) return { t: "error", name: n.error.name, message: n.error.message };
  const plain = Array.isArray(n.proto) && (n.proto[0] === "Object" || n.proto[0] === "Array") && n.t === "object";
  if (!plain || !Array.isArray(n.keys)) return { t: n.t };
  const keys = n.keys.filter((k: any) => typeof k.key === "string" && k.flags?.startsWith("e"));
  return { t: n.t, entries: keys.map((k: any) => [k.key, essence(k.value ?? k.read, depth + 1)]) };
}
