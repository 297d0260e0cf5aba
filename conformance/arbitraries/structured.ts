/**
 * Generated values for the structured-clone table (spec/serialization.md, SER-PRIMITIVES …
 * SER-BOXED): one generator per kind of value, composed into `structuredValue`. Every generator
 * builds fresh objects in `.map`, so two parts of a generated value share an object only where a
 * generator means them to (SER-SHARED-REFS, SER-CYCLES).
 *
 * Also here: `rejectedCase`, a generated value with an uncopyable value planted at a generated
 * path (SER-REJECT-*), and `errorValue`, the error shapes SER-ERROR-VALUES and errors.md talk about.
 */
import * as fc from "fast-check";
import { className } from "./names.ts";
import { finiteNumber, jsonLikeString, jsonLikeValue } from "./values.ts";

// ---------------------------------------------------------------------------------------------
// Leaves, one generator per kind

/** SER-PRIMITIVES: every primitive that crosses, the non-JSON ones included. */
export const primitiveValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  finiteNumber,
  fc.constantFrom(-0, NaN, Infinity, -Infinity),
  fc.bigInt(),
  fc.constantFrom(2n ** 64n, -(2n ** 100n)),
  jsonLikeString,
);

/** SER-DATE: valid and invalid dates, across the whole time-value range. */
export const dateValue = fc
  .oneof(fc.date({ noInvalidDate: true }), fc.constantFrom(NaN, 8.64e15, -8.64e15, 0).map((t) => new Date(t)))
  .map((d) => new Date(d.getTime()));

const REGEXP_FLAGS = ["d", "g", "i", "m", "s", "u", "y"] as const;
/** SER-REGEXP: any source text (escaped to a literal pattern), any flag set, any lastIndex. */
export const regExpValue = fc
  .record({
    text: fc.string({ maxLength: 8 }),
    flags: fc.subarray([...REGEXP_FLAGS]),
    lastIndex: fc.nat({ max: 20 }),
  })
  .map(({ text, flags, lastIndex }) => {
    const re = new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), flags.join(""));
    re.lastIndex = lastIndex;
    return re;
  });

/** SER-ARRAYBUFFER */
export const arrayBufferValue = fc.uint8Array({ maxLength: 24 }).map((bytes) => bytes.slice().buffer);

export const TYPED_ARRAY_KINDS = [
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
] as const;
type TypedArrayKind = (typeof TYPED_ARRAY_KINDS)[number];

/** A window on a buffer, in elements of `kind`: [offset, length, spare elements after it]. */
const viewWindow = fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 4 }), fc.nat({ max: 2 }));

function newView(kind: TypedArrayKind, buffer: ArrayBuffer, offsetElements: number, length: number): ArrayBufferView {
  const Ctor = globalThis[kind] as unknown as new (b: ArrayBuffer, o: number, l: number) => ArrayBufferView;
  return new Ctor(buffer, offsetElements * (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT, length);
}

function bytesPerElement(kind: TypedArrayKind): number {
  return (globalThis[kind] as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
}

/** A buffer of `size` bytes filled from `seed`. */
function filledBuffer(size: number, seed: Uint8Array): ArrayBuffer {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = seed.length === 0 ? i : seed[i % seed.length]!;
  return bytes.buffer;
}

/** SER-TYPED-ARRAYS: every kind, with a byteOffset and a length inside a larger buffer. */
export const typedArrayValue = fc
  .record({ kind: fc.constantFrom(...TYPED_ARRAY_KINDS), window: viewWindow, seed: fc.uint8Array({ maxLength: 16 }) })
  .map(({ kind, window: [offset, length, spare], seed }) => {
    const buffer = filledBuffer((offset + length + spare) * bytesPerElement(kind), seed);
    return newView(kind, buffer, offset, length);
  });

/** SER-TYPED-ARRAYS, SER-DATAVIEW: two views (of any kinds) over one buffer, which must stay one. */
export const viewsSharingBuffer = fc
  .record({
    kinds: fc.tuple(fc.constantFrom(...TYPED_ARRAY_KINDS, "DataView" as const), fc.constantFrom(...TYPED_ARRAY_KINDS)),
    seed: fc.uint8Array({ maxLength: 16 }),
    windows: fc.tuple(viewWindow, viewWindow),
  })
  .map(({ kinds, seed, windows }) => {
    // 8 bytes per element covers every kind's alignment.
    const size = Math.max(...windows.map(([o, l, s]) => (o + l + s) * 8));
    const buffer = filledBuffer(size, seed);
    return kinds.map((kind, i) => {
      const [offset, length] = windows[i]!;
      return kind === "DataView" ? new DataView(buffer, offset * 8, length) : newView(kind, buffer, offset * (8 / bytesPerElement(kind)), length);
    });
  });

/** SER-DATAVIEW: a DataView with its own window on a buffer. */
export const dataViewValue = fc
  .record({ window: viewWindow, seed: fc.uint8Array({ maxLength: 16 }) })
  .map(({ window: [offset, length, spare], seed }) => new DataView(filledBuffer(offset + length + spare, seed), offset, length));

/** SER-BOXED: Number (incl. -0 and NaN), String, Boolean and BigInt objects. */
export const boxedValue = fc
  .oneof(finiteNumber, fc.constantFrom(-0, NaN, Infinity), jsonLikeString, fc.boolean(), fc.bigInt())
  .map((primitive) => Object(primitive) as object);

export const ERROR_CLASSES = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError"] as const;
export type ErrorClassName = (typeof ERROR_CLASSES)[number];

/** Own property names an error gets from its constructor; generated extra properties avoid them. */
const ERROR_OWN_NAMES = new Set(["stack", "message", "name", "cause", "errors", "constructor", "__proto__", "remote"]);
const errorPropertyKey = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/).filter((k) => !ERROR_OWN_NAMES.has(k));

/** The shape of an error: what errors.md's tests throw and SER-ERROR-VALUES returns. */
export interface ErrorShape {
  cls: ErrorClassName;
  message: string;
  /** A class of the program's own that extends `cls` and adds nothing (so inherits its `name`). */
  subclass?: string;
  /** An own `name` that differs from the class's (a custom error name). */
  customName?: string;
  /** Extra own enumerable properties. */
  props: Record<string, unknown>;
  /** `cause`, given through the constructor's options (so it is non-enumerable). */
  cause?: unknown;
  /** An AggregateError's `errors` (only with `cls` AggregateError): values and errors. */
  errors?: unknown[];
}

/** An element of an AggregateError's `errors`: any JSON-like value, or an error of a built-in class. */
const aggregatedValue: fc.Arbitrary<unknown> = fc.oneof(
  jsonLikeValue,
  fc
    .record({ cls: fc.constantFrom(...ERROR_CLASSES.filter((c) => c !== "AggregateError")), message: jsonLikeString })
    .map(({ cls, message }) => new (globalThis[cls] as ErrorConstructor)(message)),
);

export const errorShape: fc.Arbitrary<ErrorShape> = fc.record(
  {
    cls: fc.constantFrom(...ERROR_CLASSES),
    message: jsonLikeString,
    subclass: className.filter((n) => !ERROR_CLASSES.includes(n as ErrorClassName)),
    customName: className,
    props: fc.dictionary(errorPropertyKey, jsonLikeValue, { maxKeys: 2, noNullPrototype: true }),
    cause: fc.oneof(jsonLikeValue, fc.constant(undefined)),
    errors: fc.array(aggregatedValue, { maxLength: 3 }),
  },
  { requiredKeys: ["cls", "message", "props"] },
).map(({ errors, ...shape }) => (shape.cls === "AggregateError" && errors !== undefined ? { ...shape, errors } : shape));

/** Build the error an ErrorShape describes, in this realm. */
export function buildError(shape: ErrorShape): Error {
  const options = "cause" in shape ? { cause: shape.cause } : undefined;
  const Base = globalThis[shape.cls] as new (...args: unknown[]) => Error;
  const Ctor = shape.subclass === undefined ? Base : Object.defineProperty(class extends Base {}, "name", { value: shape.subclass });
  const error = shape.cls === "AggregateError" ? new Ctor(shape.errors ?? [], shape.message, options) : new Ctor(shape.message, options);
  if (shape.customName !== undefined) error.name = shape.customName;
  return Object.assign(error, shape.props);
}

/** SER-ERROR-VALUES: errors returned or passed as values. */
export const errorValue = errorShape.map(buildError);

// ---------------------------------------------------------------------------------------------
// Containers and graph shapes

const objectKey = fc.string({ maxLength: 6 }).filter((k) => k !== "__proto__");

/** The leaf kinds of the table, by name, so a test or a failure can say which one it is about. */
export const STRUCTURED_LEAVES = {
  primitive: primitiveValue,
  date: dateValue,
  regexp: regExpValue,
  arrayBuffer: arrayBufferValue,
  typedArray: typedArrayValue,
  viewsSharingBuffer,
  dataView: dataViewValue,
  boxed: boxedValue,
  error: errorValue,
} as const satisfies Record<string, fc.Arbitrary<unknown>>;

/**
 * Any value of the structured-clone table: the leaves above inside arrays (dense and sparse),
 * plain objects, Maps (any keys, objects included) and Sets, with shared references and cycles.
 */
export const structuredValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; container: object }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 3, arbitrary: fc.oneof(...Object.values(STRUCTURED_LEAVES)) },
    { weight: 2, arbitrary: tie("container") },
  ),
  container: fc.oneof(
    { depthSize: "small" },
    fc.array(tie("value"), { maxLength: 4 }),
    fc.sparseArray(tie("value"), { maxLength: 6 }), // SER-HOLES
    fc.dictionary(objectKey, tie("value"), { maxKeys: 4, noNullPrototype: true }),
    fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 }).map((entries) => new Map(entries)), // SER-MAP-SET
    fc.array(tie("value"), { maxLength: 3 }).map((values) => new Set(values)),
    tie("value").map((shared) => sharedTwice(shared)), // SER-SHARED-REFS
    fc.tuple(fc.nat({ max: 3 }), tie("value")).map(([shape, inner]) => cyclic(shape, inner)), // SER-CYCLES
  ),
})).value;

/** SER-SHARED-REFS: one value reachable along two paths. */
function sharedTwice(shared: unknown): object {
  return { first: shared, second: [shared] };
}

/** SER-CYCLES: a container that holds itself, as an object, array, Map key/value or Set element. */
function cyclic(shape: number, inner: unknown): object {
  switch (shape) {
    case 0: {
      const o: Record<string, unknown> = { inner };
      o.self = o;
      return o;
    }
    case 1: {
      const a: unknown[] = [inner];
      a.push(a);
      return a;
    }
    case 2: {
      const m = new Map<unknown, unknown>([["inner", inner]]);
      m.set(m, m);
      return m;
    }
    default: {
      const s = new Set<unknown>([inner]);
      s.add(s);
      return s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rejected values (SER-REJECT-*)

/** What cannot cross by value, as a JS expression to build it in the worker, and workerd's message. */
export interface RejectedKind {
  requirement: string;
  /** Source of an expression that makes the value. */
  expression: string;
  message: string;
}

const symbolDescription = fc.stringMatching(/^[A-Za-z0-9 _-]{0,10}$/);

export const rejectedKind: fc.Arbitrary<RejectedKind> = fc.oneof(
  className.map((name) => ({
    requirement: "SER-REJECT-CLASS-INSTANCE",
    expression: `new (class ${name} { constructor() { this.field = 1; } })()`,
    message: `Could not serialize object of type "${name}". This type does not support serialization.`,
  })),
  fc.constantFrom("Object.create(null)", "Object.assign(Object.create(null), { a: 1 })").map((expression) => ({
    requirement: "SER-REJECT-NULL-PROTOTYPE",
    expression,
    message: `Could not serialize object of type "Object". This type does not support serialization.`,
  })),
  fc.option(symbolDescription, { nil: undefined }).map((description) => ({
    requirement: "SER-REJECT-SYMBOL",
    expression: description === undefined ? "Symbol()" : `Symbol(${JSON.stringify(description)})`,
    message: `Symbol(${description ?? ""}) could not be cloned.`,
  })),
  fc.constant({ requirement: "SER-REJECT-SYMBOL", expression: `Object(Symbol("boxed"))`, message: "[object Symbol] could not be cloned." }),
  fc
    .constantFrom(["new WeakMap()", "WeakMap"], ["new WeakSet()", "WeakSet"], ["Promise.resolve(1)", "Promise"], ["new Promise(() => {})", "Promise"])
    .map(([expression, type]) => ({ requirement: "SER-REJECT-OTHER", expression: expression!, message: `#<${type}> could not be cloned.` })),
  // SER-REJECT-ITERATOR: the iterator is built over generated content, so its state varies too.
  fc
    .tuple(
      fc.constantFrom(
        ["(function* () { yield* ITEMS; })()", "Generator"],
        ["(async function* () { yield* ITEMS; })()", "AsyncGenerator"],
        ["ITEMS[Symbol.iterator]()", "Array Iterator"],
        ["new Map(ITEMS.map((x, i) => [i, x])).entries()", "Map Iterator"],
        ["new Set(ITEMS).values()", "Set Iterator"],
        ["ITEMS.join()[Symbol.iterator]()", "String Iterator"],
        ["ITEMS.join().matchAll(/./g)", "RegExp String Iterator"],
      ),
      fc.array(jsonLikeValue, { maxLength: 3 }),
      fc.nat(3),
    )
    .map(([[make, tag], items, advanced]) => ({
      requirement: "SER-REJECT-ITERATOR",
      // Some steps taken first (never for the async generator, whose next() is a promise).
      expression: `((it) => { ${tag === "AsyncGenerator" ? "" : `for (let i = 0; i < ${advanced}; i++) it.next();`} return it; })(${make!.replaceAll("ITEMS", () => JSON.stringify(items))})`,
      message: `[object ${tag}] could not be cloned.`,
    })),
);

/** The placeholder a generated value carries where the probe plants the rejected value. */
export const PLANT_MARKER = "\u0000planted here\u0000";

/**
 * A JSON-like container with the marker at a generated path (possibly the top level, possibly
 * deep inside), where `plantSource`'s `plant()` puts the rejected value.
 */
export const plantedContainer: fc.Arbitrary<unknown> = fc.letrec<{ holder: unknown }>((tie) => ({
  holder: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    fc.constant(PLANT_MARKER),
    fc.tuple(fc.array(jsonLikeValue, { maxLength: 2 }), tie("holder"), fc.array(jsonLikeValue, { maxLength: 2 })).map(([before, h, after]) => [...before, h, ...after]),
    fc.tuple(fc.dictionary(objectKey, jsonLikeValue, { maxKeys: 2, noNullPrototype: true }), objectKey, tie("holder")).map(([o, k, h]) => ({ ...o, [k]: h })),
    fc.tuple(jsonLikeString, tie("holder")).map(([k, h]) => new Map([[k, h]])),
  ),
})).holder;

/** Source of `plant(value, bad)`: replaces the marker (in arrays, objects and Map values) by `bad`. */
export const PLANT_SOURCE = `function plant(value, bad) {
  const marker = ${JSON.stringify(PLANT_MARKER)};
  if (value === marker) return bad;
  if (value instanceof Map) { for (const [k, v] of value) value.set(k, plant(v, bad)); return value; }
  if (value !== null && typeof value === "object") for (const k of Object.keys(value)) value[k] = plant(value[k], bad);
  return value;
}`;
