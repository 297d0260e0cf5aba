/** Conformance tests for spec/errors.md: what the caller sees when the callee throws. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../define.ts";
import { probeWorker } from "../scenario.ts";
import type { Profile } from "../profiles.ts";
import { className, memberName } from "../arbitraries/names.ts";
import { jsonLikeString, jsonLikeValue } from "../arbitraries/values.ts";
import { buildError, errorShape } from "../arbitraries/structured.ts";
import type { ErrorShape } from "../arbitraries/structured.ts";
import { crossError, enhancedErrors, observedEncoding, renumber } from "../arbitraries/crossing.ts";
import { encode } from "../harness/harness.js";
import { calleeModules, lit, valueExpr } from "./support.ts";
import type { Observed } from "./support.ts";

/** The classes a thrown error keeps by its `name` in the legacy format (AggregateError included). */
const THROWN_LEGACY_CLASSES = new Set(["Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "AggregateError"]);

/** How the callee makes its call fail. */
const failureStyle = fc.constantFrom("throw", "async-throw", "return-rejected");

/** Source of a statement that builds the error `shape` describes into `e`, inside the callee. */
function errorSource(shape: ErrorShape): string {
  const options = "cause" in shape ? `{ cause: ${valueExpr(shape.cause)} }` : "undefined";
  const Ctor = shape.subclass ?? shape.cls;
  const subclass = shape.subclass === undefined ? "" : `class ${shape.subclass} extends ${shape.cls} {}`;
  const construct = shape.cls === "AggregateError" ? `new ${Ctor}(${valueExpr(shape.errors ?? [])}, ${lit(shape.message)}, ${options})` : `new ${Ctor}(${lit(shape.message)}, ${options})`;
  const name = shape.customName === undefined ? "" : `e.name = ${lit(shape.customName)};`;
  return `${subclass} const e = ${construct}; ${name} Object.assign(e, ${valueExpr(shape.props)});`;
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
        ? `[${lit(method)}]() { return ${thrower}(); }`
        : style === "async-throw"
          ? `async [${lit(method)}]() { await null; return ${thrower}(); }`
          : `[${lit(method)}]() { try { ${thrower}(); } catch (e) { return Promise.reject(e); } }`;
    const source = `function ${thrower}() { ${errorSource(shape)} throw e; }
export class ${cls} extends WorkerEntrypoint {
  ${body}
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `const result = await observe(() => env.S[${lit(method)}]());
           const stack = result.ok ? "" : String(result.error?.stack);
           return respond({ result, stackShowsCallee: stack.includes(${lit(thrower)}) });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ shape, style }, observed, profile) {
    const o = observed as { result: Observed; stackShowsCallee: boolean };
    const what = `${style} of ${shape.cls}`;
    if (o.result.ok) throw new Error(`${what}: expected the call to reject, but it resolved`);
    expect(o.result.sync, `${what}: the call threw synchronously; it must reject instead`).to.not.equal(true);
    expect(observedEncoding(o.result.error), `${what}: the caller's error (harness encoding)`).to.deep.equal(expectedThrown(shape, profile));
    expect(o.stackShowsCallee, `${what}: the caller's error.stack names the callee's function`).to.equal(false);
  },
});

/** A thrown value that is not an Error. */
type NonError =
  | { kind: "primitive"; value: string | number | boolean | null | undefined | bigint }
  | { kind: "object"; value: Record<string, unknown> }
  | { kind: "instance"; className: string; value: Record<string, unknown> };

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

function thrownSource(thrown: NonError): string {
  switch (thrown.kind) {
    case "primitive":
      return valueExpr(thrown.value);
    case "object":
      return valueExpr(thrown.value);
    case "instance":
      return `Object.assign(new (class ${thrown.className} {})(), ${valueExpr(thrown.value)})`;
  }
}

defineTest({
  id: "errors/non-error-throws",
  title: "throwing a string, number, null, undefined, object or class instance: an Error with the value as text, or (current) the object itself, marked remote",
  requirements: ["ERR-NON-ERROR-THROW"],
  arbitrary: fc.record({ cls: className, method: memberName, thrown: nonError }),
  scenario({ cls, method, thrown }) {
    return {
      workers: [
        { name: "callee", modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}]() { throw ${thrownSource(thrown)}; }\n}`) },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(method)}]()));`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ thrown }, observed, profile) {
    const o = observed as Observed;
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
    const error = `new ${errorClass}(${lit(message)})`;
    const members =
      site === "constructor"
        ? `constructor(ctx, env) { super(ctx, env); throw ${error}; }\n  [${lit(member)}]() { return "unreachable"; }`
        : site === "getter-throws"
          ? `get [${lit(member)}]() { throw ${error}; }`
          : `get [${lit(member)}]() { return Promise.reject(${error}); }`;
    const call = site === "constructor" ? `env.S[${lit(member)}]()` : `(async () => await env.S[${lit(member)}])()`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n  ${members}\n}`) },
        probeWorker("probe", `return respond(await observe(() => ${call}));`, { services: [{ binding: "S", service: "callee", entrypoint: cls }] }),
      ],
      probe: "probe",
    };
  },
  check({ errorClass, message, site }, observed, profile) {
    const o = observed as Observed;
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
const DESCRIBE_DOM = `function describeDom(e) {
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
    const MAKE = `${DESCRIBE_DOM}
function make() { return Object.assign(new DOMException(${lit(message)}, ${lit(name)}), ${valueExpr(props)}); }`;
    const callee = `${MAKE}
export class ${cls} extends WorkerEntrypoint {
  take(value) { return describeDom(value); }
  give() { return make(); }
  fail() { throw make(); }
}`;
    const probe =
      direction === "argument"
        ? `return respond(await env.S.take(make()));`
        : direction === "returned"
          ? `return respond(describeDom(await env.S.give()));`
          : `return respond(await env.S.fail().then(() => ({ resolved: true }), describeDom));`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(callee) },
        probeWorker("probe", `${MAKE}\n${probe}`, { services: [{ binding: "S", service: "callee", entrypoint: cls }] }),
      ],
      probe: "probe",
    };
  },
  check({ name, message, direction }, observed) {
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
