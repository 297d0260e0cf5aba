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
 * Two settings differ per worker and are declared once per realm with `configureBoundary`: the
 * error format (workerd's `enhanced_error_serialization`, SER-ERROR-VALUES) and the faults.
 */
import { types } from "node:util";
import v8 from "node:v8";
import { BUILTIN_ERROR_NAMES, TYPED_ARRAY_NAMES, isDOMException, isPlainObjectPrototype } from "../loading/realm.ts";
import type { BuiltinErrorName, Intrinsics, Realm, TypedArrayName } from "../loading/realm.ts";
import type { FaultSwitches } from "../faults.ts";
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
function stringBytesOf(value: string, faults: Partial<FaultSwitches>): number {
  if (faults["strings-count-one-byte"]) return value.length; // fault strings-count-one-byte (LIMIT-STRING-SIZE)
  return /[^\u0000-\u00ff]/.test(value) ? value.length * 2 : value.length;
}

/**
 * LIMIT-WIRE-SIZE: the size workerd checks is that of V8's serialization of the message (the
 * arguments as one array, or the result), header included. Node's v8.Copier writes that very
 * format once typed arrays are written as V8 itself writes them (not as Node host objects). It is
 * only worth computing near the limit; a message it cannot write (stubs, platform objects) keeps
 * the data-byte count.
 */
function wireSize(message: unknown, dataBytes: number, faults: Partial<FaultSwitches>): number {
  if (dataBytes < MESSAGE_SIZE_LIMIT - WIRE_MARGIN || faults["size-counts-data-only"] || faults["strings-count-one-byte"]) return dataBytes; // fault size-counts-data-only (LIMIT-WIRE-SIZE)
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

/** The size errors made by `messageTooLarge`, known by identity (their shape is workerd's plain Error). */
const sizeErrors = new WeakSet<object>();

/**
 * LIMIT-MESSAGE-SIZE: the plain Error workerd throws, naming the message's size in bytes. It is the
 * host's: the caller gets it remade in its own realm (rpc/errors.ts, ERR-RUNTIME-REALM).
 */
function messageTooLarge(bytes: number): Error {
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
  faults: Partial<FaultSwitches>;
}

const LEGACY: BoundarySettings = Object.freeze({ enhancedErrors: false, faults: Object.freeze({}) });
const boundarySettings = new WeakMap<Realm, BoundarySettings>();

/** SER-ERROR-VALUES, ERR-OWN-PROPERTIES: workerd's error format (src/workerd/io/compatibility-date.capnp). */
export const ENHANCED_ERROR_SERIALIZATION: CompatibilityFlag = {
  enable: "enhanced_error_serialization",
  disable: "legacy_error_serialization",
  defaultOn: "2026-04-21",
};

/** Declare a worker realm's compatibility settings and faults; called once per worker at boot. */
export function configureBoundary(
  realm: Realm,
  worker: { compatibilityDate: string; compatibilityFlags: readonly string[] },
  faults: Partial<FaultSwitches> = {},
): void {
  const enhancedErrors = isFlagOn(ENHANCED_ERROR_SERIALIZATION, worker.compatibilityDate, worker.compatibilityFlags);
  boundarySettings.set(realm, { enhancedErrors, faults });
}

/** The settings of a realm (legacy errors, no faults when never configured, as in unit tests). */
export function settingsOf(realm: Realm): BoundarySettings {
  return boundarySettings.get(realm) ?? LEGACY;
}

export interface CopierOptions {
  /** Fault `lossy-strings`: strings take a UTF-8 round trip. */
  lossyStrings?: boolean;
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
}

/** Copies values into a destination realm. One per scenario; stateless between copies. */
export class Copier {
  readonly #lossyStrings: boolean;
  /** @internal for CopyJob */
  readonly byReference: ((value: object) => unknown) | undefined;

  constructor(options: CopierOptions = {}) {
    this.#lossyStrings = options.lossyStrings ?? false;
    this.byReference = options.byReference;
  }

  /** A deep copy of `value` built in `to`; throws a DataCloneError for what cannot cross. */
  copy(value: unknown, to: Realm, options: CopyOptions = {}): unknown {
    if (!isObjectLike(value)) {
      if (typeof value === "string" && value.length > MESSAGE_SIZE_LIMIT / 2) new CopyJob(to, this, options).checkSize(value, stringBytesOf(value, settingsOf(to).faults));
      return this.#primitive(value);
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
    let job: CopyJob | undefined;
    let stringBytes = 0;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (!isObjectLike(arg)) {
        copied[i] = this.#primitive(arg);
        if (typeof arg === "string") stringBytes += stringBytesOf(arg, settingsOf(to).faults);
      } else copied[i] = (job ??= new CopyJob(to, this, {})).copy(arg);
    }
    if (job !== undefined || stringBytes > MESSAGE_SIZE_LIMIT - WIRE_MARGIN) (job ?? new CopyJob(to, this, {})).checkSize(args, stringBytes);
    return copied;
  }

  #primitive(value: unknown): unknown {
    switch (typeof value) {
      case "string":
        // SER-BASIC-VALUES: strings cross exactly, lone surrogates included.
        return this.#lossyStrings ? lossyRoundTrip(value) : value; // fault lossy-strings (SER-BASIC-VALUES)
      case "symbol":
        // SER-REJECT-SYMBOL: a symbol has no serialized form.
        throw dataCloneError(`${String(value)} could not be cloned.`);
      default:
        return value; // undefined, null, booleans, numbers (-0 and NaN included), bigints
    }
  }

  /** @internal for CopyJob */
  primitive(value: unknown): unknown {
    return this.#primitive(value);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
function lossyRoundTrip(value: string): string {
  return decoder.decode(encoder.encode(value));
}

/** One copy operation: the memo that keeps shared references shared lives exactly this long. */
class CopyJob {
  readonly #realm: Realm;
  readonly #to: Intrinsics;
  readonly #copier: Copier;
  readonly #settings: BoundarySettings;
  readonly #faults: Partial<FaultSwitches>;
  readonly #options: CopyOptions;
  /** SER-SHARED-REFS, SER-CYCLES: one copy per source object within one message. */
  readonly #memo = new Map<object, unknown>();
  /** LIMIT-MESSAGE-SIZE: an estimate of the serialized size, counted as the copy goes. */
  #bytes = 0;
  /** Only for fault shared-refs-copied-twice: the objects being copied on the current path. */
  readonly #ancestors = new Set<object>();

  constructor(to: Realm, copier: Copier, options: CopyOptions) {
    this.#realm = to;
    this.#to = to.intrinsics;
    this.#copier = copier;
    this.#settings = settingsOf(to);
    this.#faults = this.#settings.faults;
    this.#options = options;
  }

  copy(value: unknown): unknown {
    if (!isObjectLike(value)) {
      if (typeof value === "string") this.#bytes += stringBytesOf(value, this.#faults);
      return this.#copier.primitive(value);
    }
    const seen = this.#memo.get(value);
    if (this.#faults["shared-refs-copied-twice"]) return this.#copyOnPath(value, seen); // fault shared-refs-copied-twice (SER-SHARED-REFS)
    if (seen !== undefined) return seen;
    this.#bytes += 2;
    return this.#object(value);
  }

  /** Fault shared-refs-copied-twice: only cycles find their earlier copy; a shared object is copied again. */
  #copyOnPath(value: object, seen: unknown): unknown {
    if (seen !== undefined && this.#ancestors.has(value)) return seen;
    this.#ancestors.add(value);
    try {
      return this.#object(value);
    } finally {
      this.#ancestors.delete(value);
    }
  }

  /** LIMIT-MESSAGE-SIZE: refuse the whole message (`message`, as sent) when it came out over the limit. */
  checkSize(message: unknown, extraBytes = 0): void {
    const bytes = wireSize(message, this.#bytes + extraBytes, this.#faults);
    if (bytes > MESSAGE_SIZE_LIMIT && !this.#faults["no-message-size-limit"]) throw messageTooLarge(bytes); // fault no-message-size-limit (LIMIT-MESSAGE-SIZE)
  }

  /** Own enumerable string-keyed properties: getters run, symbol keys stay behind. */
  /**
   * SER-OWN-ENUMERABLE: own enumerable string keys, in order, each read once (a getter runs here)
   * and written as a plain data property.
   */
  #properties<T extends object>(value: object, out: T): T {
    if (this.#faults["shallow-nesting-limit"]) return this.#properties100(value, out); // fault shallow-nesting-limit (LIMIT-DEEP-NESTING)
    const keys = this.#faults["non-enumerable-copied"] ? Object.getOwnPropertyNames(value) : Object.keys(value); // fault non-enumerable-copied (SER-OWN-ENUMERABLE)
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

  /** Fault shallow-nesting-limit: arrays and objects nested over 100 deep are refused. */
  #depth = 0;
  #properties100<T extends object>(value: object, out: T): T {
    if (++this.#depth > 100) throw new RangeError("Maximum call stack size exceeded");
    try {
      for (const key of Object.keys(value)) setOwn(out, key, this.copy((value as any)[key]));
      return out;
    } finally {
      this.#depth--;
    }
  }

  /** Functions and RpcTargets cross as stubs when the copier was given a `byReference` hook. */
  #byReference(value: object): unknown {
    const stub = this.#copier.byReference?.(value);
    if (stub === undefined) throw typeof value === "function" ? dataCloneError(`${String(value)} could not be cloned.`) : uncloneable(value);
    return this.#remember(value, stub);
  }

  #object(value: object): unknown {
    const to = this.#to;
    const faults = this.#faults;
    if (typeof value === "function") {
      // SER-REJECT-RPC-PROMISE: a call's thenable or an unawaited RPC property is refused, not sent as a stub.
      if (isRpcThenable(value) && !faults["rpc-thenables-as-stubs"]) throw rpcThenableRefused(); // fault rpc-thenables-as-stubs (SER-REJECT-RPC-PROMISE)
      return this.#byReference(value);
    }
    if (types.isProxy(value) && !faults["proxies-copied"]) {
      // BIND-PASSED-OVER-RPC: a service binding looks like a plain object, but crosses by reference.
      // SER-PROXY: so does a program's Proxy that emulates a plain object or an RpcTarget (stubs.ts);
      // any other Proxy is refused.
      const stub = this.#copier.byReference?.(value);
      if (stub !== undefined) return this.#remember(value, stub);
      // Fault bindings-copied-empty only: a binding refused by reference arrives as an empty plain object.
      if (faults["bindings-copied-empty"]) return this.#remember(value, new to.Object());
      throw dataCloneError(
        "Proxy could not be serialized because it is not a valid RPC receiver type. The Proxy must emulate either a plain object or an RpcTarget, as indicated by the Proxy's prototype chain.",
      );
    } // fault proxies-copied (SER-PROXY)
    if (Array.isArray(value)) {
      const out = new to.Array(value.length);
      this.#memo.set(value, out);
      if (faults["holes-become-undefined"]) out.fill(undefined); // fault holes-become-undefined (SER-HOLES)
      // SER-HOLES: own enumerable keys only, so holes stay holes and extra named properties come along.
      return this.#properties(value, out);
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (types.isProxy(value)) {
      // Fault proxies-copied only: a service binding still crosses by reference (BIND-PASSED-OVER-RPC).
      const stub = this.#copier.byReference?.(value);
      if (stub !== undefined) return this.#remember(value, stub);
    }
    if (isPlainObjectPrototype(proto) || this.#copiesAsPlainObject(value, proto)) {
      const out = new to.Object();
      this.#memo.set(value, out);
      return this.#properties(value, out);
    }
    if (types.isDate(value)) {
      // SER-DATE: the time value, invalid dates included.
      if (faults["dates-as-numbers"]) return this.#remember(value, dateGetTime.call(value)); // fault dates-as-numbers (SER-DATE)
      return this.#remember(value, new to.Date(dateGetTime.call(value)));
    }
    if (types.isRegExp(value)) {
      // SER-REGEXP: source and flags; the copy starts at lastIndex 0 and other own properties stay behind.
      const out = new to.RegExp(regExpSource.call(value), regExpFlags.call(value));
      if (faults["regexp-keeps-lastindex"]) out.lastIndex = (value as RegExp).lastIndex; // fault regexp-keeps-lastindex (SER-REGEXP)
      return this.#remember(value, out);
    }
    if (types.isMap(value)) {
      // SER-MAP-SET: any keys and values, in insertion order.
      const out = new to.Map();
      this.#memo.set(value, out);
      const entries: [unknown, unknown][] = [];
      mapForEach.call(value, (v: unknown, k: unknown) => entries.push([k, v]));
      if (faults["map-entries-reversed"]) entries.reverse(); // fault map-entries-reversed (SER-MAP-SET)
      for (const [k, v] of entries) out.set(this.copy(k), this.copy(v));
      return out;
    }
    if (types.isSet(value)) {
      const out = new to.Set();
      this.#memo.set(value, out);
      setForEach.call(value, (v: unknown) => out.add(this.copy(v)));
      return out;
    }
    if (types.isArrayBuffer(value)) {
      // SER-ARRAYBUFFER: the bytes, copied.
      const length = arrayBufferByteLength.call(value) as number;
      this.#bytes += length;
      const out = new to.ArrayBuffer(length);
      if (!faults["arraybuffers-zeroed"]) new Uint8Array(out).set(new Uint8Array(value)); // fault arraybuffers-zeroed (SER-ARRAYBUFFER)
      return this.#remember(value, out);
    }
    if (types.isTypedArray(value)) {
      const name = typedArrayName.call(value);
      if (!knownTypedArrays.has(name)) throw uncloneable(value);
      const [offset, length] = [typedArrayByteOffset.call(value) as number, typedArrayLength.call(value) as number];
      if (faults["views-own-buffer"]) {
        // fault views-own-buffer (SER-TYPED-ARRAYS): each view gets a buffer holding only its window.
        const window = new Uint8Array(typedArrayBuffer.call(value), offset, (value as Uint8Array).byteLength).slice().buffer;
        return this.#remember(value, new to.typedArrays[name](this.copy(window) as ArrayBuffer, 0, length));
      }
      // SER-TYPED-ARRAYS: the buffer goes through the memo, so two views of one buffer still share it.
      const buffer = this.copy(typedArrayBuffer.call(value)) as ArrayBuffer;
      return this.#remember(value, new to.typedArrays[name](buffer, offset, length));
    }
    if (types.isDataView(value)) {
      // SER-DATAVIEW: a view with the same window over the (shared) copied buffer.
      const buffer = this.copy(dataViewBuffer.call(value)) as ArrayBuffer;
      const offset = faults["dataview-offset-zero"] ? 0 : (dataViewByteOffset.call(value) as number); // fault dataview-offset-zero (SER-DATAVIEW)
      return this.#remember(value, new to.DataView(buffer, offset, dataViewByteLength.call(value)));
    }
    if (types.isNativeError(value)) return this.#error(value);
    if (isDOMException(value)) {
      // SER-DOMEXCEPTION: name and message only, as the destination realm's DOMException (ERR-RUNTIME-REALM).
      const out = this.#remember(value, new this.#to.DOMException(value.message, value.name));
      if (faults["dom-exception-keeps-properties"]) this.#properties(value, out); // fault dom-exception-keeps-properties (SER-DOMEXCEPTION)
      return out;
    }
    const platform = this.#platformObject(value);
    if (platform !== undefined) return this.#remember(value, platform);
    if (types.isBoxedPrimitive(value)) {
      // SER-BOXED
      if (faults["boxed-unboxed"]) return this.#remember(value, this.#copier.primitive(unbox(value))); // fault boxed-unboxed (SER-BOXED)
      return this.#remember(value, this.#boxed(value));
    }
    const iterator = iteratorTag(value);
    if (iterator !== undefined) {
      // SER-REJECT-ITERATOR: generators and built-in iterators are refused, not iterated.
      if (!faults["iterators-class-message"]) throw dataCloneError(`[object ${iterator}] could not be cloned.`); // fault iterators-class-message (SER-REJECT-ITERATOR)
      throw uncloneable(value);
    }
    if (types.isPromise(value) || types.isWeakMap(value) || types.isWeakSet(value)) {
      // SER-REJECT-OTHER: built-ins with no serialized form are refused with V8's own message.
      if (!faults["generic-reject-message"]) throw noSerializedForm(value); // fault generic-reject-message (SER-REJECT-OTHER)
    }
    const host = seams(this.#realm, HTTP_VALUE_SEAMS).copyHostValue(value); // HTTP-BLOB: other Web platform values (http-values.ts)
    if (host !== undefined) return this.#remember(value, host);
    return this.#byReference(value); // class instances, null-prototype objects, platform objects…
  }

  /**
   * SER-HEADERS, SER-REQUEST, SER-RESPONSE, SER-READABLE-STREAM: the Web platform types that cross.
   * They are the host's objects in every realm (realm.ts), so the copy is a new host object. A body
   * moves to the copy (HTTP-BODY-MOVED, in http-values.ts).
   */
  #platformObject(value: object): object | undefined {
    const httpValues = seams(this.#realm, HTTP_VALUE_SEAMS);
    if (value instanceof Headers) return httpValues.copyHeaders(value); // HTTP-HEADERS-SET-COOKIE (http-values.ts)
    return httpValues.copyBodyValue(value, this.#realm);
  }

  /**
   * Objects copied like plain ones although their prototype is not Object.prototype: class
   * instances in a thrown value under enhanced errors (ERR-NON-ERROR-THROW), and two faults.
   */
  #copiesAsPlainObject(value: object, proto: object | null): boolean {
    // ERR-NON-ERROR-THROW: a thrown value copies null-prototype objects as plain ones, at any depth.
    if (proto === null && this.#options.classInstancesAsPlainObjects === true) return !this.#faults["thrown-null-prototype-as-text"]; // fault thrown-null-prototype-as-text (ERR-NON-ERROR-THROW)
    if (proto === null) return this.#faults["null-prototype-as-plain"] === true; // fault null-prototype-as-plain (SER-REJECT-NULL-PROTOTYPE)
    if (typeof value === "function" || types.isNativeError(value) || Object.prototype.toString.call(value) !== "[object Object]") return false;
    return this.#options.classInstancesAsPlainObjects === true || this.#faults["class-instances-as-plain"] === true; // fault class-instances-as-plain (SER-REJECT-CLASS-INSTANCE)
  }

  /**
   * SER-ERROR-VALUES. Legacy (V8's own format): the class comes from a built-in `name` (never
   * AggregateError), and only `message` and `cause` travel. Enhanced: AggregateError too, and a
   * custom `name` and every other own data property travel, all as enumerable own properties.
   */
  #error(value: object): unknown {
    const enhanced = this.#settings.enhancedErrors && !this.#faults["error-values-legacy"]; // fault error-values-legacy (SER-ERROR-VALUES)
    const name = dataProperty(value, "name");
    // ERR-MESSAGE: a thrown error's message that is not a string arrives as "" (a value's is stringified).
    const message = ownData(value, "message");
    const thrown = this.#options.classInstancesAsPlainObjects === true;
    const out = newError(this.#to, name, enhanced, thrown && message !== NONE && typeof message !== "string" ? "" : message);
    this.#memo.set(value, out);
    const stack = dataProperty(value, "stack");
    // fault error-stack-copied (SER-ERROR-STACK): the sender's stack text whenever it is a string, else the receiver's own.
    const stackCopied = this.#faults["error-stack-copied"];
    if (stackCopied && typeof stack === "string") Object.defineProperty(out, "stack", { value: stack, writable: true, configurable: true });
    if (!enhanced) {
      // SER-ERROR-STACK: the legacy format carries the sender's stack text as it is, or no stack at all (undefined).
      if (!stackCopied) Object.defineProperty(out, "stack", { value: typeof stack === "string" ? stack : undefined, writable: true, configurable: true });
      const cause = ownData(value, "cause");
      if (cause !== NONE) Object.defineProperty(out, "cause", { value: this.copy(cause), writable: true, configurable: true });
      return out;
    }
    // SER-ERROR-VALUES: a `name` that is not the class's travels as it is, a number included.
    const nameTravels = this.#faults["error-name-strings-only"] ? typeof name === "string" : name !== undefined; // fault error-name-strings-only (SER-ERROR-VALUES)
    if (nameTravels && name !== out.name) defineEnumerable(out, "name", this.copy(name));
    for (const key of Object.getOwnPropertyNames(value)) {
      if (key === "stack" || key === "message" || key === "name") continue;
      const property = ownData(value, key);
      if (property !== NONE) defineEnumerable(out, key, this.copy(property));
    }
    // SER-ERROR-STACK: enhanced errors carry no stack; the receiver's is the error's own text, without frames.
    if (!stackCopied) Object.defineProperty(out, "stack", { value: errorText(out), writable: true, configurable: true });
    return out;
  }

  #boxed(value: object): object {
    const to = this.#to;
    if (types.isNumberObject(value)) return new to.Object(numberValueOf.call(value));
    if (types.isStringObject(value)) return new to.Object(this.#copier.primitive(stringValueOf.call(value)));
    if (types.isBooleanObject(value)) return new to.Object(booleanValueOf.call(value));
    if (types.isBigIntObject(value)) return new to.Object(bigintValueOf.call(value));
    throw dataCloneError(`[object Symbol] could not be cloned.`); // SER-REJECT-SYMBOL: a boxed symbol
  }

  #remember<T>(source: object, copy: T): T {
    this.#memo.set(source, copy);
    return copy;
  }
}

function unbox(value: object): unknown {
  if (types.isNumberObject(value)) return numberValueOf.call(value);
  if (types.isStringObject(value)) return stringValueOf.call(value);
  if (types.isBooleanObject(value)) return booleanValueOf.call(value);
  if (types.isBigIntObject(value)) return bigintValueOf.call(value);
  return value;
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
