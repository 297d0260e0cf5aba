/** Conformance tests for spec/errors.md: what the caller sees when the callee throws. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import type { Profile } from "../engine/profiles.ts";
import { className, memberName } from "../arbitraries/names.ts";
import { jsonLikeString, jsonLikeValue } from "../arbitraries/values.ts";
import { buildError, errorShape } from "../arbitraries/structured.ts";
import type { ErrorShape } from "../arbitraries/structured.ts";
import { crossError, enhancedErrors, observedEncoding, renumber } from "../arbitraries/crossing.ts";
import { encode } from "../harness/harness.js";
import { apiTags, callerAndCallee, ident, js, type Observed, type Source, value } from "./support.ts";

/** The classes a thrown error keeps by its `name` in the legacy format (AggregateError included). */
const THROWN_LEGACY_CLASSES = new Set(["Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "AggregateError"]);

/** How the callee makes its call fail. */
const failureStyle = fc.constantFrom("throw", "async-throw", "return-rejected");

/** Source of a statement that builds the error `shape` describes into `e`, inside the callee. */
function errorSource(shape: ErrorShape): Source {
  const options = "cause" in shape ? js`{ cause: ${value(shape.cause)} }` : js`undefined`;
  const Ctor = ident(shape.subclass ?? shape.cls);
  const subclass = shape.subclass === undefined ? js`` : js`class ${ident(shape.subclass)} extends ${ident(shape.cls)} {}`;
  const construct =
    shape.cls === "AggregateError" ? js`new ${Ctor}(${value(shape.errors ?? [])}, ${shape.message}, ${options})` : js`new ${Ctor}(${shape.message}, ${options})`;
  const name = shape.customName === undefined ? js`` : js`e.name = ${shape.customName};`;
  return js`${subclass} const e = ${construct}; ${name} Object.assign(e, ${value(shape.props)});`;
}

/**
 * ERR-MESSAGE: text that travels as text (a legacy error's message, a thrown primitive) is cut at
 * its first U+0000, loses lone surrogates (U+FFFD), as a UTF-8 C string would, and loses its
 * leading spaces (U+0020 only: workerd parses it back out of "Name: message").
 */
export function asText(message: string): string {
  const cut = message.indexOf("\0");
  return new TextDecoder().decode(new TextEncoder().encode(cut === -1 ? message : message.slice(0, cut))).replace(/^ +/, "");
}

/** Legacy format: the class by built-in `name`, a custom name folded into the message, nothing else. */
function legacyThrown(shape: ErrorShape): unknown {
  const name = shape.customName ?? shape.cls;
  const known = THROWN_LEGACY_CLASSES.has(name);
  const cls = known ? name : "Error";
  const message = known ? shape.message : shape.message === "" ? name : `${name}: ${shape.message}`;
  return { $: "error", id: 1, class: cls, name: cls, message: asText(message), props: [["remote", true]] };
}

/** The harness encoding of the error the caller must see for a thrown `shape`. */
export function expectedThrown(shape: ErrorShape, profile: Profile): unknown {
  if (!enhancedErrors(profile)) return renumber(legacyThrown(shape));
  const crossed = crossError(encode(buildError(shape)) as unknown as { [key: string]: unknown }, true);
  return renumber({ ...crossed, props: [...(crossed.props as unknown[]), ["remote", true]] });
}

defineTest({
  id: "errors/thrown-errors",
  title: "a thrown or rejected error rejects the call with its class, message and (per profile) own properties, remote = true, without the callee's stack",
  requirements: ["ERR-REJECTS", "ERR-BUILTIN-CLASS", "ERR-MESSAGE", "ERR-REMOTE", "ERR-CUSTOM-SUBCLASS", "ERR-OWN-PROPERTIES", "ERR-CAUSE", "ERR-NO-REMOTE-STACK"],
  arbitrary: fc.record({ cls: className, method: memberName, shape: errorShape, style: failureStyle, frame: className }),
  scenario({ cls, method, shape, style, frame }) {
    const thrower = `calleeFrame${frame}`;
    const body =
      style === "throw"
        ? js`[${method}]() { return ${ident(thrower)}(); }`
        : style === "async-throw"
          ? js`async [${method}]() { await null; return ${ident(thrower)}(); }`
          : js`[${method}]() { try { ${ident(thrower)}(); } catch (e) { return Promise.reject(e); } }`;
    return callerAndCallee({
      callee: js`function ${ident(thrower)}() { ${errorSource(shape)} throw e; }
export class ${ident(cls)} extends WorkerEntrypoint {
  ${body}
}`,
      entrypoint: cls,
      probe: js`const result = await observe(() => env.S[${method}]());
           const stack = result.ok ? "" : String(result.error?.stack);
           const text = result.ok ? "" : String(result.error).split("\\n")[0];
           return respond({ result, stackShowsCallee: stack.includes(${thrower}), stackFirstLine: stack.split("\\n")[0], text });`,
    });
  },
  check({ shape, style }, o: { result: Observed; stackShowsCallee: boolean; stackFirstLine: string; text: string }, profile) {
    const what = `${style} of ${shape.cls}`;
    if (o.result.ok) throw new Error(`${what}: expected the call to reject, but it resolved`);
    expect(o.result.sync, `${what}: the call threw synchronously; it must reject instead`).to.not.equal(true);
    expect(observedEncoding(o.result.error), `${what}: the caller's error (harness encoding)`).to.deep.equal(expectedThrown(shape, profile));
    expect(o.stackShowsCallee, `${what}: the caller's error.stack names the callee's function`).to.equal(false);
    expect(o.stackFirstLine, `${what}: the first line of the caller's error.stack (ERR-NO-REMOTE-STACK: String(error), the name alone for an empty message)`).to.equal(o.text);
  },
});

/** A thrown value that is not an Error. */
type NonError =
  | { kind: "primitive"; value: string | number | boolean | null | undefined | bigint }
  | { kind: "object"; value: Record<string, unknown> }
  | { kind: "instance"; className: string; value: Record<string, unknown> };

/** Text for a generated error message: printable, no leading or trailing spaces. */
const errorMessageText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,:_-]{0,20}$/);

const plainProps = fc.dictionary(
  fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/).filter((k) => k !== "remote" && k !== "__proto__"),
  jsonLikeValue,
  { maxKeys: 3, noNullPrototype: true },
);

const nonError: fc.Arbitrary<NonError> = fc.oneof(
  fc.oneof(jsonLikeString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()).map((value) => ({ kind: "primitive" as const, value })),
  plainProps.map((value) => ({ kind: "object" as const, value })),
  fc.record({ className, value: plainProps }).map(({ className, value }) => ({ kind: "instance" as const, className, value })),
);

function thrownSource(thrown: NonError): Source {
  switch (thrown.kind) {
    case "primitive":
      return value(thrown.value);
    case "object":
      return value(thrown.value);
    case "instance":
      return js`Object.assign(new (class ${ident(thrown.className)} {})(), ${value(thrown.value)})`;
  }
}

defineTest({
  id: "errors/non-error-throws",
  title: "throwing a string, number, null, undefined, object or class instance: an Error with the value as text, or (current) the object itself, marked remote",
  requirements: ["ERR-NON-ERROR-THROW"],
  arbitrary: fc.record({ cls: className, method: memberName, thrown: nonError }),
  scenario({ cls, method, thrown }) {
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { throw ${thrownSource(thrown)}; }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}]()));`,
    });
  },
  check({ thrown }, o: Observed, profile) {
    if (o.ok) throw new Error(`throwing ${thrown.kind}: expected the call to reject, but it resolved`);
    expect(o.sync, "the call threw synchronously").to.not.equal(true);
    let expected: unknown;
    if (thrown.kind !== "primitive" && enhancedErrors(profile)) {
      // The object crosses as a copy (a class instance as a plain object), marked remote.
      expected = { ...thrown.value, remote: true };
    } else {
      const text = asText(thrown.kind === "primitive" ? String(thrown.value) : thrown.kind === "object" ? "#<Object>" : `#<${thrown.className}>`);
      expected = Object.assign(new Error(text), { remote: true });
    }
    expect(observedEncoding(o.error), `throwing ${thrown.kind}: the caller's rejection value (harness encoding)`).to.deep.equal(observedEncoding(expected));
  },
});

/**
 * Thrown non-errors whose text (legacy format) is not `#<ClassName>`, and how each arrives. `text`
 * is the message under `2024-04-03` (and under `current` when `copied` is false); under `current`
 * a copied kind arrives as `expected(props)` with `remote = true`.
 */
const THROWN_KINDS = {
  nullPrototype: { source: (p: Source) => js`Object.assign(Object.create(null), ${p})`, text: "[object Object]", copied: (props: object) => ({ ...props }) },
  nestedNullPrototype: {
    source: (p: Source) => js`Object.assign({}, ${p}, { inner: Object.assign(Object.create(null), ${p}) })`,
    text: "#<Object>",
    copied: (props: object) => ({ ...props, inner: structuredClone(props) }),
  },
  ownToString: { source: (p: Source) => js`Object.assign({ toString() { return "own"; } }, ${p})`, text: "[object Object]", copied: null },
  classWithToString: { source: (p: Source) => js`Object.assign(new (class Shown { toString() { return "shown"; } })(), ${p})`, text: "[object Object]", copied: (props: object) => ({ ...props }) },
  taggedObject: { source: (p: Source) => js`Object.assign({ [Symbol.toStringTag]: "Tagged" }, ${p})`, text: "#<Object>", copied: (props: object) => ({ ...props }) },
  array: { source: () => js`[1, "two"]`, text: "[object Array]", copied: () => [1, "two"] },
  date: { source: () => js`new Date(0)`, text: "[object Date]", copied: () => new Date(0) },
  regexp: { source: () => js`/a+/g`, text: "[object RegExp]", copied: () => /a+/g },
  boxedNumber: { source: () => js`new Number(7)`, text: "[object Number]", copied: () => new Number(7) },
  map: { source: () => js`new Map([[1, 2]])`, text: "#<Map>", copied: () => new Map([[1, 2]]) },
  arrowFunction: { source: () => js`(x) => x`, text: "(x) => x", copied: null },
} as const;

defineTest({
  id: "errors/thrown-text",
  title: "a thrown non-error is described as V8 does without running its code: #<Name> only when its toString is Object.prototype.toString, [object Tag] otherwise, a function by its source; under current, objects (null-prototype ones at any depth) arrive as copies",
  requirements: ["ERR-THROWN-TEXT", "ERR-NON-ERROR-THROW"],
  arbitrary: fc.record({ cls: className, method: memberName, kind: fc.constantFrom(...(Object.keys(THROWN_KINDS) as (keyof typeof THROWN_KINDS)[])), props: plainProps }),
  scenario({ cls, method, kind, props }) {
    const thrown = THROWN_KINDS[kind].source(value(props));
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { throw ${thrown}; }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}]()));`,
    });
  },
  check({ kind, props }, o: Observed, profile) {
    const { text, copied } = THROWN_KINDS[kind];
    const expected = enhancedErrors(profile) && copied !== null ? Object.assign(copied(props), { remote: true }) : Object.assign(new Error(text), { remote: true });
    expect({ ...o, error: o.ok ? undefined : observedEncoding(o.error) }, `throwing a ${kind}: how the call ended (harness encoding)`).to.deep.equal({ ok: false, error: observedEncoding(expected) });
  },
});

defineTest({
  id: "errors/uninspectable",
  title: "a thrown value whose prototype and keys cannot be read rejects the call with Error: Promise will never complete.",
  requirements: ["ERR-UNINSPECTABLE"],
  arbitrary: fc.record({ cls: className, method: memberName, message: errorMessageText }),
  scenario({ cls, method, message }) {
    const hostile = js`new Proxy({}, { get() { throw new Error(${message}); }, getPrototypeOf() { throw new Error(${message}); }, ownKeys() { throw new Error(${message}); } })`;
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { throw ${hostile}; }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}]()));`,
    });
  },
  check(_case, o: Observed) {
    expect({ ...o, error: o.ok ? undefined : observedEncoding(o.error) }, "how the call ended (harness encoding)").to.deep.equal({
      ok: false,
      error: observedEncoding(Object.assign(new Error("Promise will never complete."), { remote: true })),
    });
  },
});

/** Source of `realmView(e)`: how an error relates to the caller's own built-ins. */
const REALM_VIEW = js`function realmView(e) {
  // The tag itself is the platform DOMException's business (workerd's has none under 2024-04-03):
  // what is required is that it is the tag the caller's own errors of that kind have.
  const local = e instanceof DOMException ? new DOMException("x") : new Error("x");
  return { tagAsLocal: Object.prototype.toString.call(e) === Object.prototype.toString.call(local), instanceofError: e instanceof Error, instanceofTypeError: e instanceof TypeError,
    instanceofDOMException: e instanceof DOMException, instanceofObject: e instanceof Object,
    name: e.name, message: e.message, code: e.code, remote: e.remote };
}`;

/** Ways to make the runtime (not the program) create the error the caller gets. */
const RUNTIME_FAILURES = {
  refusedArgument: { call: (m: string) => js`env.S[${m}](new WeakMap())`, expected: () => dataClone("#<WeakMap> could not be cloned.", undefined) },
  refusedSymbolArgument: { call: (m: string) => js`env.S[${m}](Symbol("s"))`, expected: () => dataClone("Symbol(s) could not be cloned.", undefined) },
  refusedResult: { call: () => js`env.S.giveWeakMap()`, expected: () => dataClone("#<WeakMap> could not be cloned.", true) },
  unknownMethod: {
    call: (m: string) => js`env.S[${m + "Missing"}]()`,
    expected: (m: string) => ({ tagAsLocal: true, instanceofError: true, instanceofTypeError: true, instanceofDOMException: false, instanceofObject: true, name: "TypeError", message: notImplementedMessage(m + "Missing"), code: undefined, remote: true }),
  },
  thrownDOMException: {
    call: () => js`env.S.throwDom()`,
    expected: () => ({ tagAsLocal: true, instanceofError: true, instanceofTypeError: false, instanceofDOMException: true, instanceofObject: true, name: "NotFoundError", message: "gone", code: 8, remote: true }),
  },
} as const;

/** What the probe's `realmView(e)` reports. */
interface RealmView {
  tagAsLocal: boolean;
  instanceofError: boolean;
  instanceofTypeError: boolean;
  instanceofDOMException: boolean;
  instanceofObject: boolean;
  name: string;
  message: string;
  code: number | undefined;
  remote: true | undefined;
}

function dataClone(message: string, remote: true | undefined): RealmView {
  return { tagAsLocal: true, instanceofError: true, instanceofTypeError: false, instanceofDOMException: true, instanceofObject: true, name: "DataCloneError", message, code: 25, remote };
}

const notImplementedMessage = (name: string) => `The RPC receiver does not implement the method "${name}".`;

defineTest({
  id: "errors/runtime-error-realm",
  title: "errors the runtime creates (DataCloneError, not-implemented TypeError, a re-created DOMException) are instances of the caller's own Error, DOMException and TypeError",
  requirements: ["ERR-RUNTIME-REALM"],
  arbitrary: fc.record({ cls: className, method: memberName, failure: fc.constantFrom(...(Object.keys(RUNTIME_FAILURES) as (keyof typeof RUNTIME_FAILURES)[])) }),
  scenario({ cls, method, failure }) {
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${method}](x) { return "received"; }
  giveWeakMap() { return new WeakMap(); }
  throwDom() { throw new DOMException("gone", "NotFoundError"); }
}`,
      entrypoint: cls,
      probe: js`${REALM_VIEW}\nconst r = await observe(() => ${RUNTIME_FAILURES[failure].call(method)});\nreturn respond(r.ok ? { resolved: true } : realmView(r.error));`,
    });
  },
  check({ method, failure }, observed: RealmView | { resolved: true }) {
    expect(observed, `${failure}: the caller's error, against the caller's own built-ins`).to.deep.equal(RUNTIME_FAILURES[failure].expected(method));
  },
});

defineTest({
  id: "errors/odd-errors",
  title: "a non-string name travels (current) and a thrown non-string message arrives as \"\"; a thrown Response arrives as the text #<Response>",
  requirements: ["ERR-MESSAGE", "SER-ERROR-VALUES", "ERR-NON-ERROR-THROW"],
  arbitrary: fc.record({
    cls: className,
    kind: fc.constantFrom("thrown-number-name", "returned-number-name", "thrown-number-message", "thrown-response"),
    n: fc.integer({ min: -1000, max: 1000 }),
    text: errorMessageText,
  }),
  scenario({ cls, kind, n, text }) {
    const body =
      kind === "thrown-number-name"
        ? js`throw Object.assign(new Error(${text}), { name: ${n} });`
        : kind === "returned-number-name"
          ? js`return Object.assign(new Error(${text}), { name: ${n} });`
          : kind === "thrown-number-message"
            ? js`throw Object.assign(new Error(${text}), { message: ${n} });`
            : js`throw new Response(${text});`;
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  m() { ${body} }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S.m()));`,
    });
  },
  check({ kind, n, text }, o: Observed, profile) {
    const enhanced = enhancedErrors(profile);
    const named = (e: Error) => (enhanced ? Object.assign(e, { name: n }) : e);
    const expected =
      kind === "thrown-number-name"
        ? { ok: false, error: Object.assign(named(new Error(text)), { remote: true }) }
        : kind === "returned-number-name"
          ? { ok: true, value: named(new Error(text)) }
          : kind === "thrown-number-message"
            ? { ok: false, error: Object.assign(new Error(""), { remote: true }) }
            : { ok: false, error: Object.assign(new Error("#<Response>"), { remote: true }) };
    const seen = o.ok ? { ok: true, value: observedEncoding(o.value) } : { ok: false, error: observedEncoding(o.error) };
    const want = expected.ok ? { ok: true, value: observedEncoding(expected.value) } : { ok: false, error: observedEncoding(expected.error) };
    expect(seen, `${kind}: how the call ended (harness encoding)`).to.deep.equal(want);
  },
});

/** Where, besides a method body, the callee can fail. */
const failureSite = fc.constantFrom("constructor", "getter-throws", "getter-rejects");

defineTest({
  id: "errors/constructor-and-getter",
  title: "an entrypoint constructor that throws, and a getter that throws or returns a rejected promise, reject the call with that error",
  requirements: ["ERR-CONSTRUCTOR-THROWS", "ERR-GETTER-THROWS"],
  arbitrary: fc.record({
    cls: className,
    member: memberName,
    errorClass: fc.constantFrom("Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"),
    message: jsonLikeString,
    site: failureSite,
  }),
  scenario({ cls, member, errorClass, message, site }) {
    const error = js`new ${ident(errorClass)}(${message})`;
    const members =
      site === "constructor"
        ? js`constructor(ctx, env) { super(ctx, env); throw ${error}; }\n  [${member}]() { return "unreachable"; }`
        : site === "getter-throws"
          ? js`get [${member}]() { throw ${error}; }`
          : js`get [${member}]() { return Promise.reject(${error}); }`;
    const call = site === "constructor" ? js`env.S[${member}]()` : js`(async () => await env.S[${member}])()`;
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  ${members}\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => ${call}));`,
    });
  },
  check({ errorClass, message, site }, o: Observed, profile) {
    if (o.ok) throw new Error(`${site}: expected the call to reject, but it resolved`);
    expect(o.sync, `${site}: the call threw synchronously`).to.not.equal(true);
    const text = enhancedErrors(profile) ? message : asText(message);
    const expected = Object.assign(new (globalThis[errorClass as "Error"])(text), { remote: true });
    expect(observedEncoding(o.error), `${site}: the caller's error (harness encoding)`).to.deep.equal(observedEncoding(expected));
  },
});

/** Names with a legacy `code` in the DOMException table, others from the Web IDL list, and made-up ones. */
const domExceptionName = fc.oneof(
  fc.constantFrom(
    "IndexSizeError", "HierarchyRequestError", "WrongDocumentError", "InvalidCharacterError", "NoModificationAllowedError",
    "NotFoundError", "NotSupportedError", "InvalidStateError", "SyntaxError", "InvalidModificationError", "NamespaceError",
    "InvalidAccessError", "TypeMismatchError", "SecurityError", "NetworkError", "AbortError", "URLMismatchError",
    "TimeoutError", "InvalidNodeTypeError", "DataCloneError", "EncodingError", "NotReadableError", "UnknownError",
    "ConstraintError", "DataError", "OperationError", "NotAllowedError",
  ),
  className,
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Source of `describeDom(e)`: what the suite requires of a DOMException that crossed. */
const DESCRIBE_DOM = js`function describeDom(e) {
  const runtimeKeys = ["code", "name", "message", "stack", "remote"];
  return { isDOMException: e instanceof DOMException, name: e.name, message: e.message, code: e.code,
    otherKeys: Object.getOwnPropertyNames(e).filter((k) => !runtimeKeys.includes(k)), remote: e.remote };
}`;

defineTest({
  id: "errors/dom-exceptions",
  title: "a DOMException thrown, returned or passed arrives as a DOMException with its name, message and code, without its own properties",
  requirements: ["ERR-DOMEXCEPTION", "SER-DOMEXCEPTION"],
  numRuns: 40,
  arbitrary: fc.record({
    cls: className,
    name: domExceptionName,
    message: fc.tuple(fc.constantFrom("", " ", "  "), jsonLikeString).map(([spaces, text]) => spaces + text),
    props: fc.dictionary(fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/).filter((k) => !["code", "name", "message", "stack", "remote"].includes(k)), jsonLikeValue, {
      maxKeys: 2,
      noNullPrototype: true,
    }),
    direction: fc.constantFrom("thrown", "returned", "argument"),
  })
    // workerd's DOMException constructor itself turns a lone surrogate into three U+FFFD: not RPC's doing.
    .filter(({ message }) => !LONE_SURROGATE.test(message)),
  scenario({ cls, name, message, props, direction }) {
    const MAKE = js`${DESCRIBE_DOM}
function make() { return Object.assign(new DOMException(${message}, ${name}), ${value(props)}); }`;
    const probe =
      direction === "argument"
        ? js`return respond(await env.S.take(make()));`
        : direction === "returned"
          ? js`return respond(describeDom(await env.S.give()));`
          : js`return respond(await env.S.fail().then(() => ({ resolved: true }), describeDom));`;
    return callerAndCallee({
      callee: js`${MAKE}
export class ${ident(cls)} extends WorkerEntrypoint {
  take(value) { return describeDom(value); }
  give() { return make(); }
  fail() { throw make(); }
}`,
      entrypoint: cls,
      probe: js`${MAKE}\n${probe}`,
    });
  },
  check({ name, message, direction }, observed: { isDOMException: boolean; name: string; message: string; code: number; otherKeys: string[]; remote?: true } | { resolved: true }) {
    const thrown = direction === "thrown";
    const expected = {
      isDOMException: true,
      name,
      // A thrown DOMException's message loses its leading spaces, but (unlike ERR-MESSAGE's
      // legacy text) it is not cut at U+0000.
      message: thrown ? message.replace(/^ +/, "") : message,
      code: new DOMException("", name).code,
      otherKeys: [],
      remote: thrown ? true : undefined,
    };
    expect(observed, `a DOMException ${direction}: what arrived`).to.deep.equal(expected);
  },
});

/** How the sender leaves an error's `stack` before it crosses as a value (SER-ERROR-STACK). */
const STACK_MODES = {
  natural: js``,
  custom: js`e.stack = "custom stack text\\n  at nowhere";`,
  deleted: js`delete e.stack;`,
  undefined: js`e.stack = undefined;`,
  number: js`e.stack = 5;`,
  object: js`e.stack = { a: 1 };`,
} as const;

defineTest({
  id: "errors/value-stack",
  title: "an error passed, returned or echoed as a value has an own stack: the sender's text or undefined (2024-04-03), String(error) (current)",
  requirements: ["SER-ERROR-STACK"],
  arbitrary: fc.record({
    cls: className,
    errorClass: fc.constantFrom("Error", "TypeError", "RangeError", "SyntaxError"),
    message: fc.oneof(jsonLikeString, fc.constantFrom("", "a\nb")),
    name: fc.option(fc.constantFrom("", "Custom", "X\nY", "RangeError"), { nil: undefined }),
    stack: fc.constantFrom(...(Object.keys(STACK_MODES) as (keyof typeof STACK_MODES)[])),
    direction: fc.constantFrom("result", "echo", "argument"),
  }),
  scenario({ cls, errorClass, message, name, stack, direction }) {
    // The sender makes the error, notes its stack text as it leaves, and the receiver describes what arrived.
    const make = js`(() => { const e = new ${ident(errorClass)}(${message}); ${name === undefined ? js`` : js`e.name = ${name};`} ${STACK_MODES[stack]} return e; })()`;
    const sent = js`(typeof e.stack === "string" ? e.stack : null)`;
    const seen = js`({ own: Object.prototype.hasOwnProperty.call(x, "stack"), type: typeof x.stack, stack: typeof x.stack === "string" ? x.stack : null, text: String(x) })`;
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {
  result() { const e = ${make}; return [e, ${sent}]; }
  echo(x) { return x; }
  argument(x) { return ${seen}; }
}`,
      entrypoint: cls,
      probe:
        direction === "result"
          ? js`const [x, sent] = await env.S.result(); return respond({ sent, arrived: ${seen} });`
          : direction === "echo"
            ? js`const e = ${make}; const sent = ${sent}; const x = await env.S.echo(e); return respond({ sent, arrived: ${seen} });`
            : js`const e = ${make}; const sent = ${sent}; return respond({ sent, arrived: await env.S.argument(e) });`,
    });
  },
  check({ stack, direction }, o: { sent: string | null; arrived: { own: boolean; type: string; stack: string | null; text: string } }, profile) {
    const what = `${direction}, sender's stack ${stack}`;
    expect(o.arrived.own, `${what}: the arrived error has an own stack`).to.equal(true);
    if (enhancedErrors(profile)) {
      expect(o.arrived.stack, `${what}: (enhanced errors) the arrived error's stack is String(error), no frames`).to.equal(o.arrived.text);
    } else {
      expect(o.arrived.type, `${what}: (legacy) typeof the arrived stack`).to.equal(o.sent === null ? "undefined" : "string");
      expect(o.arrived.stack, `${what}: (legacy) the arrived stack is the sender's text exactly`).to.equal(o.sent);
    }
  },
});


/** What the receiver reports about a DOMException `e`. */
const TAG_OF_E = js`({ tag: Object.prototype.toString.call(e), has: Symbol.toStringTag in e, isDOMException: e instanceof DOMException })`;

/** How a DOMException reaches the probe (or, for `argument`, the callee): the callee's method and the probe's code. */
const DOM_ROUTES = {
  result: (name: string, message: string) => ({ callee: js`m() { return new DOMException(${message}, ${name}); }`, probe: js`return respond(tagOf(await env.S.m()));` }),
  thrown: (name: string, message: string) => ({
    callee: js`m() { throw new DOMException(${message}, ${name}); }`,
    probe: js`try { await env.S.m(); return respond("resolved"); } catch (e) { return respond(tagOf(e)); }`,
  }),
  refused: () => ({ callee: js`m() { return { s: Symbol("refused") }; }`, probe: js`try { await env.S.m(); return respond("resolved"); } catch (e) { return respond(tagOf(e)); }` }),
  argument: (name: string, message: string) => ({ callee: js`m(e) { return ${TAG_OF_E}; }`, probe: js`return respond(await env.S.m(new DOMException(${message}, ${name})));` }),
  own: (name: string, message: string) => ({ callee: js`m() {}`, probe: js`return respond(tagOf(new DOMException(${message}, ${name})));` }),
} as const;

defineTest({
  id: "errors/dom-exception-tag",
  title: "a DOMException that arrives (value, thrown, DataCloneError, argument) has the string tag of the profile: none before set_tostring_tag (2024-09-26), DOMException from it",
  requirements: ["SER-HOST-TAG"],
  arbitrary: fc.record({
    cls: className,
    route: fc.constantFrom(...(Object.keys(DOM_ROUTES) as (keyof typeof DOM_ROUTES)[])),
    name: fc.constantFrom("AbortError", "NotFoundError", "DataCloneError", "SyntaxError", "Custom"),
    message: errorMessageText,
  }),
  scenario({ cls, route, name, message }) {
    const { callee, probe } = DOM_ROUTES[route](name, message);
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  ${callee}\n}`,
      entrypoint: cls,
      probe: js`const tagOf = (e) => ${TAG_OF_E};\n${probe}`,
    });
  },
  check({ route }, observed: { tag: string; has: boolean; isDOMException: boolean } | "resolved", profile) {
    const tagged = apiTags(profile);
    const want = { tag: tagged ? "[object DOMException]" : "[object Object]", has: tagged, isDOMException: true };
    expect(observed, `${route}: the DOMException's tag (Object.prototype.toString, Symbol.toStringTag in e, instanceof DOMException)`).to.deep.equal(want);
  },
});
