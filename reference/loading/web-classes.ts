/**
 * SER-HOST-TAG: each worker's own Request, Response, Headers, Blob and ReadableStream.
 *
 * On workerd a Web API object a worker holds belongs to the worker's realm: its prototype chain
 * ends at the worker's `Object.prototype` (`x instanceof Object` holds), and under 2024-04-03
 * (before set_tostring_tag) its class has no `Symbol.toStringTag`. The reference implements these
 * classes with Node's (undici, node:stream/web, node:buffer), so each realm gets a class of its
 * own standing for the host's, as DOMException does (realm.ts): its instances are host objects
 * (the host's methods work on them) whose prototype is the realm's. A host object that reaches a
 * worker (a copy made by the copier, a fetch() Response) is *adopted*: given the prototype of
 * the receiving realm's class.
 *
 * The host's methods brand-check `this instanceof HostClass`; each host class's
 * `Symbol.hasInstance` is widened here to accept instances of the realm classes too, so host
 * code (undici, the copier) recognises a Request of any realm.
 */
import { RESPONSE_RECORDING_STATUS_TEXT } from "../copy/status-text.ts";

/** The Web API classes every realm has its own of. */
export const REALM_WEB_CLASS_NAMES = ["Request", "Response", "Headers", "Blob", "ReadableStream"] as const;
export type RealmWebClassName = (typeof REALM_WEB_CLASS_NAMES)[number];
export type RealmMemberStep = (host: AnyFunction, own: AnyFunction) => AnyFunction;

type AnyClass = abstract new (...args: never[]) => object;
type AnyFunction = (...args: never[]) => unknown;

/**
 * How a realm's class is made: the step a broken variant may replace (seams.ts). The realm is made
 * before its seams are installed, so runtime.ts hands the realm this step (as it does apiTagsOn).
 */
export const WEB_CLASS_SEAMS = { realmMember };

/**
 * SER-HOST-TAG: the method or getter a realm's class has for one of the host's: `own`, the
 * host's wrapped so that the objects, arrays, promises and errors it gives are the realm's.
 */
function realmMember(_host: AnyFunction, own: AnyFunction): AnyFunction {
  return own;
}

/** Every realm's prototype of each class (the host's included), to the class's name. */
const classOfPrototype = new WeakMap<object, RealmWebClassName>();

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];
const { getPrototypeOf, setPrototypeOf } = Object;

/** Whether `value`'s prototype chain holds a prototype of class `name` (of any realm). */
function isWebInstance(value: unknown, name: RealmWebClassName): boolean {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  for (let proto = getPrototypeOf(value) as object | null; proto !== null; proto = getPrototypeOf(proto) as object | null) {
    if (classOfPrototype.get(proto) === name) return true;
  }
  return false;
}

const hostClasses = {} as Record<RealmWebClassName, AnyClass>;
for (const name of REALM_WEB_CLASS_NAMES) {
  const host = (globalThis as unknown as Record<string, AnyClass>)[name]!;
  hostClasses[name] = host;
  classOfPrototype.set(host.prototype, name);
  // The class itself (or the recording Response, a proxy of it) accepts every realm's instances;
  // a subclass (File extends Blob) keeps the ordinary check.
  Object.defineProperty(host, Symbol.hasInstance, {
    value: {
      [Symbol.hasInstance](this: { prototype?: unknown }, value: unknown): boolean {
        if (ordinaryHasInstance.call(this, value)) return true;
        return this.prototype === host.prototype && isWebInstance(value, name);
      },
    }[Symbol.hasInstance],
    configurable: true,
  });
}

// Node makes some of its streams (a tee's branches, a TransformStream's readable, a cloned body)
// with internal subclasses of ReadableStream: those are adopted like the class's own.
const internalStreams = [...new ReadableStream().tee(), ...new ReadableStream({ type: "bytes" }).tee(), new TransformStream().readable];
for (const stream of internalStreams) {
  const proto = getPrototypeOf(stream) as object;
  if (!classOfPrototype.has(proto)) classOfPrototype.set(proto, "ReadableStream");
}

/** The host class a realm's class constructs with (Response records an explicit statusText: status-text.ts). */
function constructorFor(name: RealmWebClassName): AnyClass {
  return name === "Response" ? RESPONSE_RECORDING_STATUS_TEXT : hostClasses[name];
}

/**
 * workerd's words for constructor arguments it refuses where Node's differ (seen on workerd
 * 2026-11-17 under both dates: `new Request()`); other refusals keep Node's message.
 */
function constructorRefusal(name: RealmWebClassName, args: unknown[]): string | undefined {
  if (name === "Request" && args.length === 0) return "Failed to construct 'Request': constructor parameter 1 is not of type 'Request or string'.";
  return undefined;
}

/** What a realm class's members turn into the realm's own: the host's errors and promises. */
const HOST_BUILTINS = { TypeError, RangeError, SyntaxError, DOMException, Promise, ArrayBuffer, Uint8Array };

/**
 * Evaluated in the realm: its class standing for `Host`. Members are the host's, wrapped so that
 * what they give the worker is its own: a Web object is adopted, an array (a tee) or a promise (a
 * body read) is the realm's, and an error the host throws or rejects with is rebuilt as the
 * realm's (ERR-RUNTIME-REALM). `tagged` keeps Symbol.toStringTag (set_tostring_tag).
 */
const REALM_CLASS_SOURCE = `(name, Host, hostPrototype, tagged, adopt, isInstance, host, markNative, member, refusal) => {
  const realmError = (error) => {
    for (const key of ["TypeError", "RangeError", "SyntaxError"]) {
      if (error instanceof host[key]) return new globalThis[key](error.message);
    }
    if (error instanceof host.DOMException) return new DOMException(error.message, error.name);
    return error;
  };
  const own = (result) => {
    if (typeof result !== "object" || result === null) return result;
    if (result instanceof host.Promise) return new Promise((resolve, reject) => result.then((value) => resolve(own(value)), (error) => reject(realmError(error))));
    if (Array.isArray(result) && !(result instanceof Array)) return Array.from(result, adopt);
    if (result instanceof host.ArrayBuffer) return new Uint8Array(new host.Uint8Array(result)).buffer;
    if (result instanceof host.Uint8Array) return new Uint8Array(result);
    return adopt(result);
  };
  const call = (fn, self, args) => {
    let result;
    try {
      result = Reflect.apply(fn, self, args);
    } catch (error) {
      throw realmError(error);
    }
    return own(result);
  };
  const Class = { [name]: function (...args) {
    if (new.target === undefined) throw new TypeError("Failed to construct '" + name + "': Please use the 'new' operator, this object constructor cannot be called as a function.");
    const refused = refusal(name, args);
    if (refused !== undefined) throw new TypeError(refused);
    try {
      return Reflect.construct(Host, args, new.target);
    } catch (error) {
      throw realmError(error);
    }
  } }[name];
  const wrap = (key, fn) => markNative({ [key](...args) { return call(fn, this, args); } }[key]);
  const copyMembers = (from, to, skip) => {
    for (const key of Reflect.ownKeys(from)) {
      if (skip.includes(key) || (!tagged && key === Symbol.toStringTag)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(from, key);
      const hostMember = descriptor.value;
      if (typeof hostMember === "function") descriptor.value = member(hostMember, wrap(key, from === Host ? (...args) => Host[key](...args) : hostMember));
      // A body's JSON is parsed in the realm, so its objects are the worker's (the host's json() would build the host's).
      if (key === "json" && from === hostPrototype) {
        const text = wrap("text", hostPrototype.text);
        descriptor.value = member(hostMember, markNative({ json() { return Reflect.apply(text, this, []).then(JSON.parse); } }.json));
      }
      if (typeof descriptor.get === "function") {
        const get = descriptor.get;
        descriptor.get = member(get, markNative(Object.getOwnPropertyDescriptor({ get [key]() { return call(get, this, []); } }, key).get));
      }
      Object.defineProperty(to, key, descriptor);
    }
  };
  const prototype = Object.create(Object.prototype);
  copyMembers(hostPrototype, prototype, ["constructor"]);
  Object.defineProperty(prototype, "constructor", { value: Class, writable: true, configurable: true });
  Object.defineProperty(Class, "prototype", { value: prototype, writable: false });
  Object.defineProperty(Class, "length", { value: Host.length, configurable: true });
  copyMembers(Host, Class, ["prototype", "length", "name", Symbol.hasInstance]);
  // A subclass keeps the ordinary check; the class accepts a Web object of any realm (a File is a Blob).
  Object.defineProperty(Class, Symbol.hasInstance, { value: markNative({ [Symbol.hasInstance](value) {
    return Function.prototype[Symbol.hasInstance].call(this, value) || (this === Class && isInstance(value));
  } }[Symbol.hasInstance]), configurable: true });
  return markNative(Class);
}`;

/** One realm's classes, and how a Web object is adopted into it. */
export interface RealmWebClasses {
  /** The realm's class `name` (made the first time it is asked for). */
  readonly classOf: (name: RealmWebClassName) => AnyClass;
  /** Give a Web object of any realm (or an array of them) this realm's prototype; anything else is returned as it is. */
  readonly adopt: (value: unknown) => unknown;
}

function adopter(prototypeOf: (name: RealmWebClassName) => object): (value: unknown) => unknown {
  const adopt = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    const proto = getPrototypeOf(value) as object | null;
    const name = proto === null ? undefined : classOfPrototype.get(proto);
    if (name !== undefined) {
      const home = prototypeOf(name);
      if (proto !== home) setPrototypeOf(value, home);
    } else if (Array.isArray(value)) value.forEach(adopt); // ReadableStream#tee
    return value;
  };
  return adopt;
}

/** The host's own classes: a value adopted by the host gets the host's prototypes back. */
export const HOST_WEB_CLASSES: RealmWebClasses = {
  classOf: (name) => hostClasses[name],
  adopt: adopter((name) => hostClasses[name].prototype),
};

/**
 * A worker realm's classes. Each is made the first time the worker or an adoption needs it:
 * making one copies and wraps every member of the host's class, which costs more than the rest of
 * a realm's setup, and most workers never touch most of these classes.
 */
export function realmWebClasses(evaluate: (source: string) => unknown, tagged: boolean, markNative: <F>(fn: F) => F, member: RealmMemberStep = realmMember): RealmWebClasses {
  let make: ((...args: unknown[]) => AnyClass) | undefined;
  const classes: Partial<Record<RealmWebClassName, AnyClass>> = {};
  const adopt = adopter((name) => classOf(name).prototype);
  const classOf = (name: RealmWebClassName): AnyClass => {
    const made = classes[name];
    if (made !== undefined) return made;
    make ??= evaluate(REALM_CLASS_SOURCE) as (...args: unknown[]) => AnyClass;
    const isInstance = (value: unknown) => isWebInstance(value, name);
    const cls = make(name, constructorFor(name), hostClasses[name].prototype, tagged, adopt, isInstance, HOST_BUILTINS, markNative, member, constructorRefusal);
    classOfPrototype.set(cls.prototype, name);
    return (classes[name] = cls);
  };
  return { classOf, adopt };
}
