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
 * What cannot be copied throws a `DataCloneError` DOMException with the message V8 uses; the
 * caller of the serializer adds which call it was for. Functions and RpcTargets will become
 * stubs in a later issue; for now they are refused like any other uncopyable value.
 */
import { types } from "node:util";
import { BUILTIN_ERROR_NAMES, TYPED_ARRAY_NAMES, isPlainObjectPrototype } from "./realm.ts";
import type { BuiltinErrorName, Intrinsics, Realm, TypedArrayName } from "./realm.ts";

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
const symbolToString = Symbol.prototype.toString;

const builtinErrorNames = new Set<string>(BUILTIN_ERROR_NAMES);
const knownTypedArrays = new Set<string>(TYPED_ARRAY_NAMES);

export function dataCloneError(message: string): DOMException {
  return new DOMException(message, "DataCloneError");
}

/** A property's value if it is a data property (own or inherited); getters are not run. */
export function dataProperty(object: object, key: PropertyKey): unknown {
  for (let o: object | null = object; o !== null; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, key);
    if (descriptor) return "value" in descriptor ? descriptor.value : undefined;
  }
  return undefined;
}

/** The name V8 prints for an object's type ("Foo" for an instance of class Foo). */
export function typeNameOf(object: object): string {
  const proto = Object.getPrototypeOf(object) as object | null;
  if (proto === null) return "Object";
  const ctor = dataProperty(proto, "constructor");
  const name = typeof ctor === "function" ? dataProperty(ctor, "name") : undefined;
  return typeof name === "string" && name !== "" ? name : "Object";
}

function uncloneable(value: object): DOMException {
  return dataCloneError(`Could not serialize object of type "${typeNameOf(value)}". This type does not support serialization.`);
}

export interface SerializerOptions {
  /** Fault `lossy-strings`: strings take a UTF-8 round trip. */
  lossyStrings?: boolean;
}

/** Copies values into a destination realm. One per scenario; stateless between copies. */
export class Serializer {
  readonly #lossyStrings: boolean;

  constructor(options: SerializerOptions = {}) {
    this.#lossyStrings = options.lossyStrings ?? false;
  }

  /** A deep copy of `value` built in `to`; throws a DataCloneError for what cannot cross. */
  copy(value: unknown, to: Realm): unknown {
    if (typeof value !== "object" || value === null) return this.#primitive(value);
    return new CopyJob(to.intrinsics, this).copy(value);
  }

  /**
   * Copy a call's arguments as one message: an object passed twice arrives as one object.
   * The array itself is the host's; only what is in it is the callee's.
   */
  copyArguments(args: readonly unknown[], to: Realm): unknown[] {
    const copied = new Array<unknown>(args.length);
    let job: CopyJob | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg !== "object" || arg === null) copied[i] = this.#primitive(arg);
      else copied[i] = (job ??= new CopyJob(to.intrinsics, this)).copy(arg);
    }
    return copied;
  }

  #primitive(value: unknown): unknown {
    switch (typeof value) {
      case "string":
        // SER-BASIC-VALUES: strings cross exactly, lone surrogates included.
        return this.#lossyStrings ? lossyRoundTrip(value) : value; // fault lossy-strings (SER-BASIC-VALUES)
      case "symbol":
        throw dataCloneError(`${String(value)} could not be cloned.`);
      case "function":
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
  readonly #to: Intrinsics;
  readonly #serializer: Serializer;
  readonly #memo = new Map<object, unknown>();

  constructor(to: Intrinsics, serializer: Serializer) {
    this.#to = to;
    this.#serializer = serializer;
  }

  copy(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return this.#serializer.primitive(value);
    const seen = this.#memo.get(value);
    if (seen !== undefined) return seen;
    return this.#object(value);
  }

  #object(value: object): unknown {
    const to = this.#to;
    if (Array.isArray(value)) {
      const out = new to.Array(value.length);
      this.#memo.set(value, out);
      // Own enumerable keys only, so holes stay holes and extra named properties come along.
      for (const key of Object.keys(value)) setOwn(out, key, this.copy((value as any)[key]));
      return out;
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (isPlainObjectPrototype(proto)) {
      const out = new to.Object();
      this.#memo.set(value, out);
      for (const key of Object.keys(value)) setOwn(out, key, this.copy((value as any)[key]));
      return out;
    }
    if (types.isDate(value)) return this.#remember(value, new to.Date(dateGetTime.call(value)));
    if (types.isRegExp(value)) return this.#remember(value, new to.RegExp(regExpSource.call(value), regExpFlags.call(value)));
    if (types.isMap(value)) {
      const out = new to.Map();
      this.#memo.set(value, out);
      mapForEach.call(value, (v: unknown, k: unknown) => out.set(this.copy(k), this.copy(v)));
      return out;
    }
    if (types.isSet(value)) {
      const out = new to.Set();
      this.#memo.set(value, out);
      setForEach.call(value, (v: unknown) => out.add(this.copy(v)));
      return out;
    }
    if (types.isArrayBuffer(value)) {
      const out = new to.ArrayBuffer(arrayBufferByteLength.call(value));
      new Uint8Array(out).set(new Uint8Array(value));
      return this.#remember(value, out);
    }
    if (types.isTypedArray(value)) {
      const name = typedArrayName.call(value);
      if (!knownTypedArrays.has(name)) throw uncloneable(value);
      // The buffer goes through the memo: two views of one buffer still share it after the copy.
      const buffer = this.copy(typedArrayBuffer.call(value)) as ArrayBuffer;
      const out = new to.typedArrays[name](buffer, typedArrayByteOffset.call(value), typedArrayLength.call(value));
      return this.#remember(value, out);
    }
    if (types.isDataView(value)) {
      const buffer = this.copy(dataViewBuffer.call(value)) as ArrayBuffer;
      return this.#remember(value, new to.DataView(buffer, dataViewByteOffset.call(value), dataViewByteLength.call(value)));
    }
    if (types.isNativeError(value)) return this.#error(value);
    if (value instanceof DOMException) {
      // The host's DOMException is every realm's DOMException.
      return this.#remember(value, new DOMException(value.message, value.name));
    }
    if (types.isBoxedPrimitive(value)) return this.#remember(value, this.#boxed(value));
    throw uncloneable(value); // class instances, null-prototype objects, promises, platform objects…
  }

  #error(value: object): unknown {
    // As V8 does: the class comes from `name` when it names a built-in, otherwise Error; only
    // message and stack travel (other own properties are dropped).
    const name = dataProperty(value, "name");
    const message = dataProperty(value, "message");
    const Ctor = this.#to.errors[builtinErrorNames.has(name as string) ? (name as BuiltinErrorName) : "Error"];
    const out = new Ctor(message === undefined ? undefined : String(message));
    const stack = dataProperty(value, "stack");
    if (typeof stack === "string") Object.defineProperty(out, "stack", { value: stack, writable: true, configurable: true });
    return this.#remember(value, out);
  }

  #boxed(value: object): object {
    const to = this.#to;
    if (types.isNumberObject(value)) return new to.Object(numberValueOf.call(value));
    if (types.isStringObject(value)) return new to.Object(this.#serializer.primitive(stringValueOf.call(value)));
    if (types.isBooleanObject(value)) return new to.Object(booleanValueOf.call(value));
    if (types.isBigIntObject(value)) return new to.Object(bigintValueOf.call(value));
    throw dataCloneError(`${symbolToString.call(value)} could not be cloned.`); // boxed symbols
  }

  #remember<T>(source: object, copy: T): T {
    this.#memo.set(source, copy);
    return copy;
  }
}

/** Assign without letting a "__proto__" key change the copy's prototype. */
function setOwn(target: any, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
