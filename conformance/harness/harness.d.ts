/**
 * Types for `harness.js`, the plain-JavaScript probe harness injected into probe workers and
 * imported by the Node-side suite. Written by hand: the module itself must stay TypeScript-free
 * so it can be injected verbatim into any runtime.
 */

/** A JSON value produced by `encode`: JSON-safe primitives as themselves, everything else a node. */
export type Encoded = string | boolean | null | number | EncodedNode;

/** `[key, value]` pairs keep key order and make a key named "$" or "__proto__" harmless. */
export type EncodedProps = Array<[key: string, value: Encoded]>;

export type EncodedNode =
  | UndefinedNode
  | NumberNode
  | BigIntNode
  | SymbolNode
  | RefNode
  | ObjectNode
  | ArrayNode
  | DateNode
  | RegExpNode
  | MapNode
  | SetNode
  | BoxedNode
  | ArrayBufferNode
  | TypedArrayNode
  | DataViewNode
  | ErrorNode
  | FunctionNode
  | OpaqueNode;

export interface UndefinedNode {
  $: "undefined";
}

/** The numbers JSON cannot carry; every other number is emitted as itself. */
export interface NumberNode {
  $: "number";
  value: "NaN" | "Infinity" | "-Infinity" | "-0";
}

export interface BigIntNode {
  $: "bigint";
  /** Decimal digits with an optional leading "-". */
  value: string;
}

/** Symbols cannot be rebuilt: they decode to a fresh `Symbol(description)`. */
export interface SymbolNode {
  $: "symbol";
  description?: string;
}

/** A second occurrence of an object: decodes to the very object decoded for `id`. */
export interface RefNode {
  $: "ref";
  id: number;
}

/** Fields every object-like node carries: its id, referred to by later `ref` nodes. */
export interface IdentifiedNode {
  id: number;
}

/**
 * A plain object (no `class`, no `nullProto`), a null-prototype object, or an instance of a
 * class, recorded by constructor name with its own enumerable string-keyed properties.
 */
export interface ObjectNode extends IdentifiedNode {
  $: "object";
  class?: string;
  nullProto?: true;
  props: EncodedProps;
}

/** Dense arrays list `items`; arrays with holes list `[index, value]` `entries` instead. */
export interface ArrayNode extends IdentifiedNode {
  $: "array";
  length: number;
  items?: Encoded[];
  entries?: Array<[index: number, value: Encoded]>;
}

export interface DateNode extends IdentifiedNode {
  $: "date";
  /** Milliseconds since the epoch; null for an invalid date. */
  time: number | null;
}

export interface RegExpNode extends IdentifiedNode {
  $: "regexp";
  source: string;
  flags: string;
  lastIndex: Encoded;
}

export interface MapNode extends IdentifiedNode {
  $: "map";
  entries: Array<[key: Encoded, value: Encoded]>;
}

export interface SetNode extends IdentifiedNode {
  $: "set";
  values: Encoded[];
}

/** `new Number(1)`, `new String("x")`, `new Boolean(false)`, `Object(1n)`, `Object(Symbol())`. */
export interface BoxedNode extends IdentifiedNode {
  $: "boxed";
  value: Encoded;
}

export interface ArrayBufferNode extends IdentifiedNode {
  $: "arraybuffer";
  /** The bytes, standard base64 with padding. */
  base64: string;
}

/** A view records its buffer as a node (often a `ref`), so views sharing a buffer still share it. */
export interface TypedArrayNode extends IdentifiedNode {
  $: "typedarray";
  /** Constructor name, e.g. "Uint8Array", "BigInt64Array", "Float16Array". */
  type: string;
  buffer: ArrayBufferNode | RefNode;
  byteOffset: number;
  /** In elements. */
  length: number;
}

export interface DataViewNode extends IdentifiedNode {
  $: "dataview";
  buffer: ArrayBufferNode | RefNode;
  byteOffset: number;
  byteLength: number;
}

/**
 * An error: constructor name, `name`, `message`, and every other own string-keyed property
 * except `stack` (enumerable or not; the non-enumerable ones are listed in `nonEnumerable`).
 */
export interface ErrorNode extends IdentifiedNode {
  $: "error";
  /** Constructor name; "" when none could be read. */
  class: string;
  name: Encoded;
  message: Encoded;
  props: EncodedProps;
  nonEnumerable?: string[];
}

/** Decodes to a placeholder function of that name that throws when called. */
export interface FunctionNode extends IdentifiedNode {
  $: "function";
  name: string;
  props: EncodedProps;
}

/** Something that cannot be represented (host object, Promise, WeakMap, stub) or could not be read. */
export interface OpaqueNode extends IdentifiedNode, OpaqueInfo {
  $: "opaque";
}

export interface OpaqueInfo {
  /** `typeof` of the original value. */
  typeof?: string;
  /** `Object.prototype.toString` of the original value, e.g. "[object Promise]". */
  tag?: string;
  /** Constructor name of the original value, when readable. */
  className?: string;
  /** Why the value is opaque when that is not obvious, e.g. "reading \"x\" threw Error: boom". */
  note?: string;
}

/** What an `opaque` node decodes to. Instances are frozen; encoding one yields its node again. */
export class Opaque implements OpaqueInfo {
  constructor(info: OpaqueInfo);
  readonly typeof?: string;
  readonly tag?: string;
  readonly className?: string;
  readonly note?: string;
}

/** How `fn` ended: `sync: true` marks a synchronous throw, which an RPC call must never do. */
export type Observation<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: unknown; sync?: true };

/** Turn any value into a JSON-safe tree of tagged nodes. Never throws. */
export function encode(value: unknown): Encoded;

/**
 * Rebuild a value from `encode`'s output (after a JSON round trip or not). Throws
 * `TypeError("harness.decode: <what> at <path>")` on malformed input.
 */
export function decode(encoded: unknown): unknown;

/** Short deterministic rendering of an encoded value for failure messages, capped near 2,000 chars. */
export function describe(encoded: Encoded): string;

/**
 * Name of the nearest constructor on the prototype chain (synthetic classes of decoded values
 * carry the recorded name). Null for primitives and null-prototype objects, "" when unknown.
 */
export function className(value: unknown): string | null;

/** Call `fn`, await what it returns (Promise or any thenable) and report how it ended. */
export function observe<T>(fn: () => T | PromiseLike<T>): Promise<Observation<Awaited<T>>>;

/** The probe's HTTP answer: `{"harness": 1, "result": encode(result)}` as application/json. */
export function respond(result: unknown): Response;

/** Decode an input that generated probe source embedded as a JSON string. */
export function input(text: string): unknown;

/** Node side: decode a probe's answer; throws with the status and first 500 chars of the body otherwise. */
export function readResponse(response: Response): Promise<unknown>;

/** `JSON.stringify(JSON.stringify(encode(value)))`: a string literal to paste into probe source. */
export function encodeInput(value: unknown): string;

// ---------------------------------------------------------------------------------------------
// deep observation (conformance/diff/)

/** A JSON value as `observeDeep` produces it; its shape is documented in harness.js. */
export type DeepNode = { t: string; [field: string]: unknown };

/**
 * Everything a caller can observe about `value`, as a deterministic JSON-able tree: typeof,
 * prototype chain, own keys with descriptors and values, instanceof against this realm's
 * constructors, toString tag, String/JSON.stringify, `in` probes, thenable, internal slots,
 * error fields, and the surface of non-data values. Never throws.
 */
export function observeDeep(value: unknown): DeepNode;

/** A thrown value in a few stable fields (typeof, class, name, message, instanceOfError). */
export function deepThrown(error: unknown): Record<string, unknown>;
