/**
 * The cross-realm copier: how a value crosses the RPC boundary by value.
 *
 * A structured-clone style deep copy from wherever the value lives into a destination realm,
 * built only from the destination's constructors, so the callee can never reach the caller's
 * objects (or their prototypes) through an argument, nor the caller the callee's through a result.
 * Shared references and cycles are preserved through a memo, as the V8 serializer workerd uses
 * preserves them within one message.
 *
 * Type tests go through brand checks (`node:util` types, intrinsic getters called on the value),
 * never `instanceof` or `toString`: a value from another realm, or one with a forged
 * `Symbol.toStringTag`, must be recognised for what it is.
 *
 * What cannot be copied throws a `DataCloneError` DOMException with the message workerd uses
 * (SER-REJECT-*). Functions and RpcTargets cross by reference through the `byReference` hook; without
 * it they are refused like any other uncopyable value.
 *
 * One setting differs per worker and is declared once per realm with `configureBoundary`: the
 * error format (workerd's `enhanced_error_serialization`, SER-ERROR-VALUES).
 *
 * The copy of each kind of value is a step of `COPY_SEAMS`, looked up once per copy (seams.ts).
 */
import { types } from "node:util";
import v8 from "node:v8";
import { BUILTIN_ERROR_NAMES, TYPED_ARRAY_NAMES, isDOMException, isPlainObjectPrototype } from "../loading/realm.ts";
import type { BuiltinErrorName, Intrinsics, Realm, TypedArrayName } from "../loading/realm.ts";
import { isFlagOn } from "../loading/compatibility.ts";
import { HTTP_VALUE_SEAMS } from "./http-values.ts";
import { seams } from "../seams.ts";
import { dataCloneError, dataProperty, typeNameOf } from "./type-names.ts";
import type { CompatibilityFlag } from "../loading/compatibility.ts";

// Intrinsic methods and getters, captured once. They work on values of any realm.
function getter(target: object, key: PropertyKey): (this: unknown) => any {
  return Object.getOwnPropertyDescriptor(target, key)!.get!;
}
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const dateGetTime = Date.prototype.getTime;
const regExpSource = getter(RegExp.prototype, "source");
const regExpFlags = getter(RegExp.prototype, "flags");
const mapForEach = Map.prototype.forEach;
const setForEach = Set.prototype.forEach;
const arrayBufferByteLength = getter(ArrayBuffer.prototype, "byteLength");
const typedArrayName = getter(TypedArrayPrototype, Symbol.toStringTag) as (this: unknown) => TypedArrayName;
const typedArrayBuffer = getter(TypedArrayPrototype, "buffer");
const typedArrayByteOffset = getter(TypedArrayPrototype, "byteOffset");
const typedArrayLength = getter(TypedArrayPrototype, "length");
const dataViewBuffer = getter(DataView.prototype, "buffer");
const dataViewByteOffset = getter(DataView.prototype, "byteOffset");
const dataViewByteLength = getter(DataView.prototype, "byteLength");
const numberValueOf = Number.prototype.valueOf;
const stringValueOf = String.prototype.valueOf;
const booleanValueOf = Boolean.prototype.valueOf;
const bigintValueOf = BigInt.prototype.valueOf;

const builtinErrorNames = new Set<string>(BUILTIN_ERROR_NAMES);
const knownTypedArrays = new Set<string>(TYPED_ARRAY_NAMES);

/** SER-REJECT-CLASS-INSTANCE, SER-REJECT-NULL-PROTOTYPE: ordinary objects of the wrong shape. */
function uncloneable(value: object): DOMException {
  return dataCloneError(`Could not serialize object of type "${typeNameOf(value)}". This type does not support serialization.`);
}

/** SER-REJECT-OTHER: built-ins that have no serialized form (WeakMap, Promise…) get V8's own message. */
function noSerializedForm(value: object): DOMException {
  return dataCloneError(`#<${typeNameOf(value)}> could not be cloned.`);
}

/** The iterator kinds made by built-ins that Node's `util.types` cannot name. */
const BUILTIN_ITERATOR_TAGS = new Set(["Array Iterator", "String Iterator", "RegExp String Iterator"]);

/**
 * SER-REJECT-ITERATOR: the `Symbol.toStringTag` of a generator object or of an iterator a built-in
 * made, or undefined for anything else. The three kinds `util.types` has no test for are known by
 * their prototype: the tag and a native `next` live on it, not on the iterator.
 */
function iteratorTag(value: object): string | undefined {
  const ordinary = types.isGeneratorObject(value) || types.isMapIterator(value) || types.isSetIterator(value);
  const proto = Object.getPrototypeOf(value) as object | null;
  const tag = proto === null ? undefined : dataProperty(proto, Symbol.toStringTag);
  if (ordinary) return typeof tag === "string" ? tag : "Object";
  if (proto === null || typeof tag !== "string" || !BUILTIN_ITERATOR_TAGS.has(tag)) return undefined;
  const next = Object.getOwnPropertyDescriptor(proto, "next")?.value as unknown;
  return typeof next === "function" && Function.prototype.toString.call(next).endsWith("{ [native code] }") ? tag : undefined;
}

/**
 * SER-REJECT-RPC-PROMISE: what `env.S.m()` and `env.S.prop` evaluate to (rpc-promise.ts) are
 * callable proxies with a `then`; stubs and bindings answer `then` with undefined.
 */
function isRpcThenable(value: object): boolean {
  return types.isProxy(value) && typeof (value as { then?: unknown }).then === "function";
}

/** SER-REJECT-RPC-PROMISE: workerd names its internal class here; the name is workerd detail. */
function rpcThenableRefused(): DOMException {
  return dataCloneError(`Could not serialize object of type "RpcPromise". This type does not support serialization.`);
}

/** LIMIT-MESSAGE-SIZE: workerd refuses a serialized message over 32 MiB. */
export const MESSAGE_SIZE_LIMIT = 32 * 1024 * 1024;

/**
 * LIMIT-STRING-SIZE: a string's size in the message, as V8 writes it: one byte per code unit when
 * all are at most U+00FF, two otherwise.
 */
function stringBytes(value: string): number {
  return /[^\u0000-\u00ff]/.test(value) ? value.length * 2 : value.length;
}

/**
 * LIMIT-WIRE-SIZE: the size workerd checks is that of V8's serialization of the message (the
 * arguments as one array, or the result), header included. Node's v8.Copier writes that very
 * format once typed arrays are written as V8 itself writes them (not as Node host objects). It is
 * only worth computing near the limit; a message it cannot write (stubs, platform objects) keeps
 * the data-byte count.
 */
function messageSize(message: unknown, dataBytes: number): number {
  if (dataBytes < MESSAGE_SIZE_LIMIT - WIRE_MARGIN) return dataBytes;
  try {
    const serializer = new v8.Serializer() as v8.Serializer & { _setTreatArrayBufferViewsAsHostObjects(flag: boolean): void };
    serializer._setTreatArrayBufferViewsAsHostObjects(false);
    serializer.writeHeader();
    serializer.writeValue(message);
    return serializer.releaseBuffer().length;
  } catch {
    return dataBytes;
  }
}

/** How far under the limit the data bytes must be for the wire overhead to be irrelevant. */
const WIRE_MARGIN = 64 * 1024;

/** The size errors made by `messageRefusal`, known by identity (their shape is workerd's plain Error). */
const sizeErrors = new WeakSet<object>();

/**
 * LIMIT-MESSAGE-SIZE: why a whole message (as sent, `bytes` long) is refused: the plain Error
 * workerd throws, naming its size. It is the host's: the caller gets it remade in its own realm
 * (rpc/errors.ts, ERR-RUNTIME-REALM).
 */
function messageRefusal(_message: unknown, bytes: number): Error | undefined {
  if (bytes <= MESSAGE_SIZE_LIMIT) return undefined;
  const error = new Error(`Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: ${bytes} bytes.`);
  sizeErrors.add(error);
  return error;
}

/** Whether `error` is the size error of a message over the limit (LIMIT-MESSAGE-SIZE). */
export function isMessageTooLarge(error: unknown): error is Error {
  return typeof error === "object" && error !== null && sizeErrors.has(error);
}

// ---------------------------------------------------------------------------------------------
// Per-worker settings

/** How one worker's realm serializes; declared once when the worker boots. */
export interface BoundarySettings {
  /**
   * workerd's `enhanced_error_serialization`: errors keep every own property, a custom `name`
   * and AggregateError; a thrown non-error object crosses as an object (ERR-NON-ERROR-THROW).
   */
  enhancedErrors: boolean;
}

const LEGACY: BoundarySettings = Object.freeze({ enhancedErrors: false });
const boundarySettings = new WeakMap<Realm, BoundarySettings>();

/** SER-ERROR-VALUES, ERR-OWN-PROPERTIES: workerd's error format (src/workerd/io/compatibility-date.capnp). */
export const ENHANCED_ERROR_SERIALIZATION: CompatibilityFlag = {
  enable: "enhanced_error_serialization",
  disable: "legacy_error_serialization",
  defaultOn: "2026-04-21",
};

/** Declare a worker realm's compatibility settings; called once per worker at boot. */
export function configureBoundary(realm: Realm, worker: { compatibilityDate: string; compatibilityFlags: readonly string[] }): void {
  const enhancedErrors = isFlagOn(ENHANCED_ERROR_SERIALIZATION, worker.compatibilityDate, worker.compatibilityFlags);
  boundarySettings.set(realm, { enhancedErrors });
}

/** The settings of a realm (legacy errors when never configured, as in unit tests). */
export function settingsOf(realm: Realm): BoundarySettings {
  return boundarySettings.get(realm) ?? LEGACY;
}

export interface CopierOptions {
  /**
   * Called for a function or an object the copier cannot copy (a class instance): returns what
   * crosses in its place (a stub, `stubs.ts`), or `undefined` to refuse it as uncloneable.
   */
  byReference?: (value: object) => unknown;
}

/** Options for one copy. */
export interface CopyOptions {
  /** A thrown value under enhanced errors: class instances and null-prototype objects copy as plain objects (ERR-NON-ERROR-THROW). */
  classInstancesAsPlainObjects?: boolean;
  /** Counts, as the copy goes, the bodies it moved (CTX-FLOATING-CANCELLED: they keep the sender's call alive). */
  tally?: CopyTally;
}

/** What a copy carried that keeps a call's context alive: bodies (Request, Response, ReadableStream, Blob) and stubs. */
export interface CopyTally {
  bodies: number;
  stubs: number;
}

/** Copies values into a destination realm. One per scenario; stateless between copies. */
export class Copier {
  /** @internal for CopyJob */
  readonly byReference: ((value: object) => unknown) | undefined;

  constructor(options: CopierOptions = {}) {
    this.byReference = options.byReference;
  }

  /** A deep copy of `value` built in `to`; throws a DataCloneError for what cannot cross. */
  copy(value: unknown, to: Realm, options: CopyOptions = {}): unknown {
    if (!isObjectLike(value)) {
      const steps = seams(to, COPY_SEAMS);
      if (typeof value === "string" && value.length > MESSAGE_SIZE_LIMIT / 2) new CopyJob(to, this, options).checkSize(value, steps.stringBytes(value));
      return steps.primitive(value);
    }
    const job = new CopyJob(to, this, options);
    const copied = job.copy(value);
    job.checkSize(value);
    return copied;
  }

  /**
   * Copy a call's arguments as one message: an object passed twice arrives as one object.
   * The array itself is the host's; only what is in it is the callee's.
   */
  copyArguments(args: readonly unknown[], to: Realm): unknown[] {
    const copied = new Array<unknown>(args.length);
    const steps = seams(to, COPY_SEAMS);
    let job: CopyJob | undefined;
    let stringBytes = 0;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (!isObjectLike(arg)) {
        copied[i] = steps.primitive(arg);
        if (typeof arg === "string") stringBytes += steps.stringBytes(arg);
      } else copied[i] = (job ??= new CopyJob(to, this, {})).copy(arg);
    }
    if (job !== undefined || stringBytes > MESSAGE_SIZE_LIMIT - WIRE_MARGIN) (job ?? new CopyJob(to, this, {})).checkSize(args, stringBytes);
    return copied;
  }
}

/** SER-BASIC-VALUES: a primitive crosses as itself: strings exactly, lone surrogates included. */
function primitive(value: unknown): unknown {
  // SER-REJECT-SYMBOL: a symbol has no serialized form.
  if (typeof value === "symbol") throw dataCloneError(`${String(value)} could not be cloned.`);
  return value; // strings, undefined, null, booleans, numbers (-0 and NaN included), bigints
}

/** One copy operation: the memo that keeps shared references shared lives exactly this long. */
class CopyJob {
  readonly #realm: Realm;
  readonly #to: Intrinsics;
  readonly #copier: Copier;
  readonly #steps: typeof COPY_SEAMS;
  readonly #options: CopyOptions;
  /** SER-SHARED-REFS, SER-CYCLES: one copy per source object within one message. */
  readonly #memo = new Map<object, unknown>();
  /** LIMIT-MESSAGE-SIZE: an estimate of the serialized size, counted as the copy goes. */
  #bytes = 0;

  constructor(to: Realm, copier: Copier, options: CopyOptions) {
    this.#realm = to;
    this.#to = to.intrinsics;
    this.#copier = copier;
    this.#steps = seams(to, COPY_SEAMS);
    this.#options = options;
  }

  copy(value: unknown): unknown {
    if (!isObjectLike(value)) {
      if (typeof value === "string") this.#bytes += this.#steps.stringBytes(value);
      return this.#steps.primitive(value);
    }
    const seen = this.#memo.get(value);
    if (seen !== undefined) return this.#steps.sharedReference(seen, value, () => this.#object(value));
    this.#bytes += 2;
    return this.#object(value);
  }

  /** LIMIT-MESSAGE-SIZE: refuse the whole message (`message`, as sent) when it came out over the limit. */
  checkSize(message: unknown, extraBytes = 0): void {
    const refusal = this.#steps.messageRefusal(message, this.#steps.messageSize(message, this.#bytes + extraBytes));
    if (refusal !== undefined) throw refusal;
  }

  /** Own enumerable string-keyed properties: getters run, symbol keys stay behind. */
  /**
   * SER-OWN-ENUMERABLE: own enumerable string keys, in order, each read once (a getter runs here)
   * and written as a plain data property.
   */
  #properties<T extends object>(value: object, out: T): T {
    const keys = this.#steps.ownKeys(value);
    const n = keys.length;
    if (n > 0 && Array.isArray(out) && n === out.length && keys[n - 1] === String(n - 1)) {
      // Performance: a dense array with nothing else (index keys come first, ascending, so the
      // last key being the last index means all n are indices). The same reads and writes, by
      // number, which V8 does much faster than by string key.
      for (let i = 0; i < n; i++) out[i] = this.copy((value as any)[i]);
      return out;
    }
    for (const key of keys) setOwn(out, key, this.copy((value as any)[key]));
    return out;
  }

  /** Functions and RpcTargets cross as stubs when the copier was given a `byReference` hook. */
  #byReference(value: object): unknown {
    const stub = this.#copier.byReference?.(value);
    if (stub === undefined) throw typeof value === "function" ? dataCloneError(`${String(value)} could not be cloned.`) : uncloneable(value);
    return this.#remember(value, stub);
  }

  #object(value: object): unknown {
    const to = this.#to;
    const steps = this.#steps;
    if (typeof value === "function") {
      const refusal = steps.functionRefusal(value);
      if (refusal !== undefined) throw refusal;
      return this.#byReference(value);
    }
    if (types.isProxy(value)) {
      const crossing = steps.proxy(value, this.#copier.byReference, to);
      if (crossing !== undefined) return this.#remember(value, crossing);
    }
    if (Array.isArray(value)) {
      const out = steps.newArray(value.length, to);
      this.#memo.set(value, out);
      // SER-HOLES: own enumerable keys only, so holes stay holes and extra named properties come along.
      return this.#properties(value, out);
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (isPlainObjectPrototype(proto) || steps.copiesAsPlainObject(value, proto, this.#options.classInstancesAsPlainObjects === true)) {
      const out = new to.Object();
      this.#memo.set(value, out);
      return this.#properties(value, out);
    }
    if (types.isDate(value)) return this.#remember(value, steps.date(value, to));
    if (types.isRegExp(value)) return this.#remember(value, steps.regExp(value, to));
    if (types.isMap(value)) {
      const out = new to.Map();
      this.#memo.set(value, out);
      for (const [k, v] of steps.mapEntries(value)) out.set(this.copy(k), this.copy(v));
      return out;
    }
    if (types.isSet(value)) {
      const out = new to.Set();
      this.#memo.set(value, out);
      setForEach.call(value, (v: unknown) => out.add(this.copy(v)));
      return out;
    }
    if (types.isArrayBuffer(value)) {
      const length = arrayBufferByteLength.call(value) as number;
      this.#bytes += length;
      return this.#remember(value, steps.arrayBuffer(value, length, to));
    }
    if (types.isTypedArray(value)) {
      const name = typedArrayName.call(value);
      if (!knownTypedArrays.has(name)) throw uncloneable(value);
      // SER-TYPED-ARRAYS: the buffer goes through the memo, so two views of one buffer still share it.
      const buffer = this.copy(typedArrayBuffer.call(value)) as ArrayBuffer;
      return this.#remember(value, steps.typedArray(value, name, buffer, to));
    }
    if (types.isDataView(value)) {
      const buffer = this.copy(dataViewBuffer.call(value)) as ArrayBuffer;
      return this.#remember(value, steps.dataView(value, buffer, to));
    }
    if (types.isNativeError(value)) return this.#error(value);
    if (isDOMException(value)) return this.#remember(value, steps.domException(value, to, (v) => this.copy(v)));
    const platform = this.#platformObject(value);
    if (platform !== undefined) return this.#remember(value, platform);
    if (types.isBoxedPrimitive(value)) return this.#remember(value, steps.boxed(value, to));
    const refusal = steps.iteratorRefusal(value) ?? steps.builtinRefusal(value);
    if (refusal !== undefined) throw refusal;
    const host = seams(this.#realm, HTTP_VALUE_SEAMS).copyHostValue(value); // HTTP-BLOB: other Web platform values (http-values.ts)
    if (host !== undefined) {
      if (this.#options.tally !== undefined) this.#options.tally.bodies++;
      return this.#remember(value, seams(this.#realm, HTTP_VALUE_SEAMS).adoptInto(host, this.#realm));
    }
    return this.#byReference(value); // class instances, null-prototype objects, platform objects…
  }

  /**
   * SER-HEADERS, SER-REQUEST, SER-RESPONSE, SER-READABLE-STREAM: the Web platform types that cross.
   * The copy is a new host object, adopted by the receiving realm (SER-HOST-TAG). A body
   * moves to the copy (HTTP-BODY-MOVED, in http-values.ts).
   */
  #platformObject(value: object): object | undefined {
    const httpValues = seams(this.#realm, HTTP_VALUE_SEAMS);
    // SER-HOST-TAG: the copy is the receiving realm's own Headers, Request… (http-values.ts adoptInto).
    if (value instanceof Headers) return httpValues.adoptInto(httpValues.copyHeaders(value), this.#realm); // HTTP-HEADERS-SET-COOKIE (http-values.ts)
    const moved = httpValues.copyBodyValue(value, this.#realm);
    if (moved === undefined) return undefined;
    if (this.#options.tally !== undefined) this.#options.tally.bodies++;
    return httpValues.adoptInto(moved, this.#realm);
  }

  /**
   * SER-ERROR-VALUES. Legacy (V8's own format): the class comes from a built-in `name` (never
   * AggregateError), and only `message` and `cause` travel. Enhanced: AggregateError too, and a
   * custom `name` and every other own data property travel, all as enumerable own properties.
   */
  #error(value: object): unknown {
    const steps = this.#steps;
    const enhanced = steps.enhancedErrorValues(this.#realm);
    const name = dataProperty(value, "name");
    // ERR-MESSAGE: a thrown error's message that is not a string arrives as "" (a value's is stringified).
    const message = ownData(value, "message");
    const thrown = this.#options.classInstancesAsPlainObjects === true;
    const out = newError(this.#to, name, enhanced, thrown && message !== NONE && typeof message !== "string" ? "" : message);
    this.#memo.set(value, out);
    const stack = dataProperty(value, "stack");
    if (!enhanced) {
      steps.errorStack(out, stack, false);
      const cause = ownData(value, "cause");
      if (cause !== NONE) Object.defineProperty(out, "cause", { value: this.copy(cause), writable: true, configurable: true });
      return out;
    }
    // SER-ERROR-VALUES: a `name` that is not the class's travels as it is, a number included.
    if (steps.errorNameTravels(name) && name !== out.name) defineEnumerable(out, "name", this.copy(name));
    for (const key of Object.getOwnPropertyNames(value)) {
      if (key === "stack" || key === "message" || key === "name") continue;
      const property = ownData(value, key);
      if (property !== NONE) defineEnumerable(out, key, this.copy(property));
    }
    steps.errorStack(out, stack, true);
    return out;
  }

  #remember<T>(source: object, copy: T): T {
    this.#memo.set(source, copy);
    return copy;
  }
}

/**
 * The copy of each kind of value: the steps a broken variant may replace (seams.ts). A CopyJob
 * looks the group up once per copy; each step builds its kind's copy in the destination `to`.
 */
export const COPY_SEAMS = {
  primitive,
  stringBytes,
  messageSize,
  messageRefusal,
  ownKeys,
  sharedReference,
  proxy,
  newArray,
  copiesAsPlainObject,
  functionRefusal,
  date,
  regExp,
  mapEntries,
  arrayBuffer,
  typedArray,
  dataView,
  domException,
  boxed,
  iteratorRefusal,
  builtinRefusal,
  enhancedErrorValues,
  errorNameTravels,
  errorStack,
};

/** SER-OWN-ENUMERABLE: the keys an object or array is copied by: own enumerable string keys, in order. */
function ownKeys(value: object): string[] {
  return Object.keys(value);
}

/**
 * SER-SHARED-REFS, SER-CYCLES: what an object reached again within one message becomes: its first
 * copy (`copyAgain` would copy it anew).
 */
function sharedReference(seen: unknown, _value: object, _copyAgain: () => unknown): unknown {
  return seen;
}

/**
 * BIND-PASSED-OVER-RPC, SER-PROXY: what crosses in place of a Proxy (undefined: it is copied through
 * its traps, as what it emulates). A service binding looks like a plain object but crosses by
 * reference, and so does a program's Proxy that emulates a plain object or an RpcTarget (stubs.ts);
 * any other Proxy is refused.
 */
function proxy(value: object, byReference: ((value: object) => unknown) | undefined, _to: Intrinsics): unknown {
  const stub = byReference?.(value);
  if (stub !== undefined) return stub;
  throw dataCloneError(
    "Proxy could not be serialized because it is not a valid RPC receiver type. The Proxy must emulate either a plain object or an RpcTarget, as indicated by the Proxy's prototype chain.",
  );
}

/** SER-HOLES: the copy of an array starts with `length` holes; its own keys fill it. */
function newArray(length: number, to: Intrinsics): unknown[] {
  return new to.Array(length);
}

/**
 * Objects copied like plain ones although their prototype is not Object.prototype (`thrown`: the
 * value is a thrown one under enhanced errors, ERR-NON-ERROR-THROW: class instances and
 * null-prototype objects, at any depth). Otherwise SER-REJECT-CLASS-INSTANCE and
 * SER-REJECT-NULL-PROTOTYPE refuse them.
 */
function copiesAsPlainObject(value: object, proto: object | null, thrown: boolean): boolean {
  if (proto === null) return thrown;
  if (typeof value === "function" || types.isNativeError(value) || Object.prototype.toString.call(value) !== "[object Object]") return false;
  return thrown;
}

/** SER-REJECT-RPC-PROMISE: a call's thenable or an unawaited RPC property is refused, not sent as a stub. */
function functionRefusal(value: object): DOMException | undefined {
  return isRpcThenable(value) ? rpcThenableRefused() : undefined;
}

/** SER-DATE: the time value, invalid dates included. */
function date(value: object, to: Intrinsics): unknown {
  return new to.Date(dateGetTime.call(value));
}

/** SER-REGEXP: source and flags; the copy starts at lastIndex 0 and other own properties stay behind. */
function regExp(value: object, to: Intrinsics): RegExp {
  return new to.RegExp(regExpSource.call(value), regExpFlags.call(value));
}

/** SER-MAP-SET: a Map's entries (any keys and values), in insertion order. */
function mapEntries(value: object): [unknown, unknown][] {
  const entries: [unknown, unknown][] = [];
  mapForEach.call(value, (v: unknown, k: unknown) => entries.push([k, v]));
  return entries;
}

/** SER-ARRAYBUFFER: the bytes, copied. */
function arrayBuffer(value: object, length: number, to: Intrinsics): ArrayBuffer {
  const out = new to.ArrayBuffer(length);
  new Uint8Array(out).set(new Uint8Array(value as ArrayBuffer));
  return out;
}

/** SER-TYPED-ARRAYS: a view of the same kind with the same window over `buffer`, the copy of its buffer. */
function typedArray(value: object, name: TypedArrayName, buffer: ArrayBuffer, to: Intrinsics): ArrayBufferView {
  return new to.typedArrays[name](buffer, typedArrayByteOffset.call(value), typedArrayLength.call(value));
}

/** SER-DATAVIEW: a view with the same window over `buffer`, the (shared) copy of its buffer. */
function dataView(value: object, buffer: ArrayBuffer, to: Intrinsics): DataView {
  return new to.DataView(buffer, dataViewByteOffset.call(value), dataViewByteLength.call(value));
}

/** SER-DOMEXCEPTION: name and message only, as the destination realm's DOMException (ERR-RUNTIME-REALM). */
function domException(value: DOMException, to: Intrinsics, _copy: (value: unknown) => unknown): DOMException {
  return new to.DOMException(value.message, value.name);
}

/** SER-BOXED: a boxed primitive of the destination realm holding the same primitive. */
function boxed(value: object, to: Intrinsics): unknown {
  if (types.isNumberObject(value)) return new to.Object(numberValueOf.call(value));
  if (types.isStringObject(value)) return new to.Object(stringValueOf.call(value));
  if (types.isBooleanObject(value)) return new to.Object(booleanValueOf.call(value));
  if (types.isBigIntObject(value)) return new to.Object(bigintValueOf.call(value));
  throw dataCloneError(`[object Symbol] could not be cloned.`); // SER-REJECT-SYMBOL: a boxed symbol
}

/** SER-REJECT-ITERATOR: generators and built-in iterators are refused, not iterated. */
function iteratorRefusal(value: object): DOMException | undefined {
  const iterator = iteratorTag(value);
  return iterator === undefined ? undefined : dataCloneError(`[object ${iterator}] could not be cloned.`);
}

/** SER-REJECT-OTHER: built-ins with no serialized form are refused with V8's own message. */
function builtinRefusal(value: object): DOMException | undefined {
  return types.isPromise(value) || types.isWeakMap(value) || types.isWeakSet(value) ? noSerializedForm(value) : undefined;
}

/** SER-ERROR-VALUES: whether error values copied into `to` take the enhanced format (its worker's compatibility settings). */
function enhancedErrorValues(to: Realm): boolean {
  return settingsOf(to).enhancedErrors;
}

/** SER-ERROR-VALUES: under enhanced errors a `name` that is not the class's travels as it is, a number included. */
function errorNameTravels(name: unknown): boolean {
  return name !== undefined;
}

/**
 * SER-ERROR-STACK: the copy's stack. The legacy format carries the sender's stack text as it is, or
 * no stack at all (undefined); enhanced errors carry none, and the receiver's is the error's own
 * text, without frames.
 */
function errorStack(out: Error, stack: unknown, enhanced: boolean): void {
  const value = enhanced ? errorText(out) : typeof stack === "string" ? stack : undefined;
  Object.defineProperty(out, "stack", { value, writable: true, configurable: true });
}

/** SER-ERROR-VALUES: a new error of the destination realm, of the class the format keeps. */
function newError(to: Intrinsics, name: unknown, enhanced: boolean, message: unknown): Error {
  const text = message === NONE ? undefined : String(message);
  if (enhanced && name === "AggregateError") {
    // `errors` is copied with the other own properties, in the sender's order.
    const error = new to.AggregateError([], text);
    delete (error as { errors?: unknown }).errors;
    return error;
  }
  return new to.errors[builtinErrorNames.has(name as string) ? (name as BuiltinErrorName) : "Error"](text);
}

/** Error.prototype.toString of an error this module made (its name and message are data properties). */
function errorText(error: Error): string {
  const { name: rawName, message: rawMessage } = error as { name: unknown; message: unknown };
  const name = rawName === undefined ? "Error" : String(rawName);
  const message = rawMessage === undefined ? "" : String(rawMessage);
  return name === "" ? message : message === "" ? name : `${name}: ${message}`;
}

const NONE = Symbol("none");
/** An own data property's value, or NONE when it is absent or an accessor. */
function ownData(object: object, key: PropertyKey): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && "value" in descriptor ? descriptor.value : NONE;
}

function defineEnumerable(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Objects and functions: what goes through a CopyJob (functions may cross by reference). */
function isObjectLike(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** Assign without letting a "__proto__" key change the copy's prototype. */
function setOwn(target: any, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
