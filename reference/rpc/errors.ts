/**
 * How an exception crosses the RPC boundary, and the errors the runtime raises itself.
 *
 * A callee's exception never reaches the caller as the same object: the caller gets a new error,
 * built in the caller's realm, of the built-in class named by the thrown error's `name`, with the
 * same message, an own `remote = true`, and a stack that holds no frame of the callee. This is
 * what workerd was seen to do (2026-11-17), including its less obvious corners:
 * - a subclass keeps its class only through an inherited built-in `name` (`class E extends
 *   RangeError {}` arrives as RangeError); a custom `name` arrives as a plain Error whose message
 *   is `name: message` (the error's own toString);
 * - a thrown non-error arrives as an Error whose message is the value as text (`42`, `null`,
 *   `#<Object>` for an object);
 * - the runtime's own refusals ("does not implement the method") carry `remote = true` as well.
 *
 * That is the legacy format. Under workerd's `enhanced_error_serialization` (on from 2026-04-21,
 * see serialize.ts) a thrown error is copied like an error value (its own properties, `cause`, a
 * custom `name` and AggregateError's `errors` travel), and a thrown non-error object arrives as a
 * copy of itself (class instances as plain objects), marked `remote = true` (ERR-NON-ERROR-THROW).
 */
import { types } from "node:util";
import { BUILTIN_ERROR_NAMES, isDOMException, isPlainObjectPrototype } from "../loading/realm.ts";
import type { BuiltinErrorName, Realm } from "../loading/realm.ts";
import { seams } from "../seams.ts";
import { Copier, isMessageTooLarge, settingsOf } from "../copy/serialize.ts";
import { isInternalError } from "./dispatcher.ts";
import { dataCloneError, dataProperty, typeNameOf } from "../copy/type-names.ts";

const thrownErrorNames = new Set<string>([...BUILTIN_ERROR_NAMES, "AggregateError"]);

/** Copies thrown values under enhanced errors; thrown values never cross by reference. */
const thrownCopier = new Copier();

/**
 * The error the caller sees for something the callee (or the runtime, on its behalf) threw.
 * `remote: false` is for failures that happen on the caller's side of the call (a bad URL given
 * to `env.S.fetch`): same rebuilding into the caller's realm, without the `remote` mark.
 */
export function toCallerError(thrown: unknown, caller: Realm, options: { remote: boolean } = { remote: true }): object {
  return seams(caller, ERROR_SEAMS).crossThrown(thrown, caller, options);
}

/**
 * A DataCloneError raised while copying a call's arguments or result, as the caller sees it. The
 * message stays workerd's exactly (SER-REJECT-*); `call` is accepted for callers that describe the
 * call, and not shown.
 */
export function cloneFailure(cause: DOMException, call: string, remote: boolean, caller: Realm): DOMException {
  return seams(caller, ERROR_SEAMS).refusalForCaller(cause, call, remote, caller);
}

/**
 * What the caller sees when the arguments it sent could not be: a DataCloneError (`cloneFailure`)
 * or the 32 MiB size error (LIMIT-MESSAGE-SIZE), each the caller realm's own and not remote
 * (ERR-RUNTIME-REALM). Anything else (a getter of the caller's own object threw) is the caller's
 * own error and is given back as it is.
 */
export function sendFailure(error: unknown, call: string, caller: Realm): unknown {
  if (isDOMException(error) && error.name === "DataCloneError") return cloneFailure(error, call, false, caller);
  if (isMessageTooLarge(error)) return seams(caller, ERROR_SEAMS).sizeErrorForCaller(error, caller);
  return error;
}

/** How an exception crosses: the steps a broken variant may replace (seams.ts). */
export const ERROR_SEAMS = { crossThrown, copyThrown, rebuild, describeThrown, refusalForCaller, stackText, sizeErrorForCaller };

/** `toCallerError`'s step: a copy under enhanced errors, else a rebuilt error (ERR-*). */
function crossThrown(thrown: unknown, caller: Realm, options: { remote: boolean }): object {
  const { enhancedErrors } = settingsOf(caller);
  const steps = seams(caller, ERROR_SEAMS);
  // BIND-NOT-ENTRYPOINT: the runtime's own failure, not something the callee threw.
  if (isInternalError(thrown)) return finish(new caller.intrinsics.errors.Error(thrown.message), { remote: thrown.remote }, caller);
  // ERR-OWN-PROPERTIES: under enhanced errors a thrown value crosses as a copy when it can.
  if (enhancedErrors) {
    const copied = steps.copyThrown(thrown, caller);
    if (copied !== undefined) {
      if (types.isNativeError(copied)) return finish(copied, options, caller);
      if (options.remote) (copied as { remote?: boolean }).remote = true; // ERR-NON-ERROR-THROW
      return copied;
    }
  }
  let error: Error;
  try {
    error = steps.rebuild(thrown, caller);
  } catch {
    // ERR-UNINSPECTABLE: reading the thrown value threw (a hostile Proxy); workerd gives up on
    // the call with this message.
    error = new caller.intrinsics.errors.Error("Promise will never complete.");
  }
  return finish(error, options, caller);
}

/** ERR-REMOTE, ERR-NO-REMOTE-STACK: mark the caller's error as remote and drop the callee's frames. */
function finish(error: Error, options: { remote: boolean }, caller: Realm): Error {
  if (options.remote) markRemote(error);
  hideStack(error, caller);
  return error;
}

/**
 * Enhanced errors: an error or a non-error object crosses as a copy (ERR-OWN-PROPERTIES,
 * ERR-CAUSE, ERR-NON-ERROR-THROW). `undefined` when it is a primitive or a DOMException (those
 * keep the legacy rules) or cannot be copied.
 */
function copyThrown(thrown: unknown, caller: Realm): object | undefined {
  try {
    // Inside the try: `instanceof` runs a Proxy's getPrototypeOf trap, which may throw (a revoked Proxy).
    if (typeof thrown !== "object" || thrown === null || isDOMException(thrown)) return undefined;
    // ERR-NON-ERROR-THROW: a thrown Request, Response or stream has a body that cannot travel with
    // an exception: it arrives as text (`#<Response>`).
    if (thrown instanceof Request || thrown instanceof Response || thrown instanceof ReadableStream) return undefined;
    return thrownCopier.copy(thrown, caller, { classInstancesAsPlainObjects: true }) as object;
  } catch {
    return undefined;
  }
}

function rebuild(thrown: unknown, caller: Realm): Error {
  const { errors, AggregateError } = caller.intrinsics;
  if (isDOMException(thrown)) {
    // ERR-DOMEXCEPTION: a DOMException again (the caller's own, ERR-RUNTIME-REALM), same name; the message
    // is read back as text, which loses its leading spaces but keeps U+0000.
    return new caller.intrinsics.DOMException(thrown.message.replace(/^ +/, ""), thrown.name);
  }
  if (!types.isNativeError(thrown)) {
    return new errors.Error(asText(seams(caller, ERROR_SEAMS).describeThrown(thrown)));
  }
  // Read as V8's serializer reads them: data properties only, a getter counts as absent.
  const rawName = dataProperty(thrown, "name");
  const name = typeof rawName === "string" ? rawName : "Error";
  const rawMessage = dataProperty(thrown, "message");
  // ERR-MESSAGE: a message that is not a string arrives as "".
  const message = typeof rawMessage === "string" ? rawMessage : "";
  // ERR-BUILTIN-CLASS: the built-in class named by `name` (the legacy format).
  if (name === "AggregateError") {
    const error = new AggregateError([], asText(message));
    delete (error as { errors?: unknown }).errors; // the legacy format sends no `errors`
    return error;
  }
  if (thrownErrorNames.has(name)) return new errors[name as BuiltinErrorName](asText(message));
  return new errors.Error(asText(errorToString(name, message)));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/**
 * ERR-MESSAGE: in the legacy format the message travels as a C string of UTF-8: it ends at the
 * first U+0000 and lone surrogates become U+FFFD. (A thrown primitive travels so in every profile.)
 */
function asText(message: string): string {
  const end = message.indexOf("\0");
  // Leading spaces (U+0020) are lost too: workerd reads the message back out of "Name: message".
  return decoder.decode(encoder.encode(end === -1 ? message : message.slice(0, end))).replace(/^ +/, "");
}

/**
 * `cloneFailure`'s step. ERR-RUNTIME-REALM: the error is the caller realm's DOMException, so it is
 * `instanceof` the caller's Error.
 */
function refusalForCaller(cause: DOMException, _call: string, remote: boolean, caller: Realm): DOMException {
  const error = new caller.intrinsics.DOMException(cause.message, "DataCloneError");
  if (remote) markRemote(error);
  hideStack(error, caller);
  return error;
}

/**
 * `sendFailure`'s step for LIMIT-MESSAGE-SIZE: the host's size error, remade as the caller's own
 * plain `Error` (ERR-RUNTIME-REALM), same message, not remote (the message never left the caller).
 */
function sizeErrorForCaller(cause: Error, caller: Realm): Error {
  return finish(new caller.intrinsics.errors.Error(cause.message), { remote: false }, caller);
}

function markRemote(error: Error): void {
  (error as Error & { remote?: boolean }).remote = true;
}

/** The stack of an error built by the runtime would only show the runtime's own frames: it gets {@link stackText} instead. */
function hideStack(error: Error, caller: Realm): void {
  const { name, message } = error as { name: unknown; message: unknown };
  Object.defineProperty(error, "stack", { value: seams(caller, ERROR_SEAMS).stackText(name, message), writable: true, configurable: true });
}

/**
 * ERR-NO-REMOTE-STACK: the stack of a crossed error is one line, the error's text as
 * Error.prototype.toString makes it (the name alone when the message is empty, the message alone
 * when the name is empty).
 */
function stackText(name: unknown, message: unknown): string {
  return errorToString(name === undefined ? "Error" : String(name), message === undefined ? "" : String(message));
}

/** Error.prototype.toString, on values read without running getters. */
function errorToString(name: string, message: string): string {
  if (name === "") return message;
  if (message === "") return name;
  return `${name}: ${message}`;
}

/**
 * ERR-THROWN-TEXT: the text V8 makes of a value without running any of its code (what workerd
 * sends for a thrown non-error in the legacy format):
 * - a function: its source text, cut to its first 111 and last 2 characters around
 *   "...<omitted>..." when longer than 128 (a bound or native function reads as native code);
 * - an object whose `toString` (a data property, looked up the prototype chain) is
 *   `Object.prototype.toString` itself: `#<Name>`, Name being its `constructor`'s name;
 * - any other object (its own `toString`, a null prototype, an array, a Date…):
 *   `[object Tag]`, Tag being its `Symbol.toStringTag` data property or its built-in kind.
 */
function describeThrown(value: unknown): string {
  if (typeof value === "function") {
    const source = Function.prototype.toString.call(value);
    return source.length > 128 ? `${source.slice(0, 111)}...<omitted>...${source.slice(-2)}` : source;
  }
  if (typeof value !== "object" || value === null) return String(value);
  if (usesObjectToString(value)) {
    const ctor = dataProperty(value, "constructor");
    const name = typeof ctor === "function" ? dataProperty(ctor, "name") : undefined;
    if (typeof name === "string" && name !== "") return `#<${name}>`;
  }
  const tag = dataProperty(value, Symbol.toStringTag);
  return `[object ${typeof tag === "string" ? tag : builtinKind(value)}]`;
}

/** Whether `toString`, read as a data property up the chain, is the chain's own Object.prototype.toString. */
function usesObjectToString(value: object): boolean {
  let last: object = value;
  for (let proto = Object.getPrototypeOf(value) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) last = proto;
  if (!isPlainObjectPrototype(last)) return false;
  const objectToString = Object.getOwnPropertyDescriptor(last, "toString")?.value as unknown;
  return objectToString !== undefined && dataProperty(value, "toString") === objectToString;
}

/** The kind V8 names for `[object …]` when an object has no Symbol.toStringTag of its own. */
function builtinKind(value: object): string {
  if (Array.isArray(value)) return "Array";
  if (types.isDate(value)) return "Date";
  if (types.isRegExp(value)) return "RegExp";
  if (types.isNumberObject(value)) return "Number";
  if (types.isStringObject(value)) return "String";
  if (types.isBooleanObject(value)) return "Boolean";
  if (types.isNativeError(value)) return "Error";
  if (types.isArgumentsObject(value)) return "Arguments";
  return "Object";
}

/**
 * A problem that prevents a scenario from starting: bad module, unknown import, unknown service,
 * duplicate names. The message names the worker (and module or binding) and is the whole story:
 * the stack would only show the runtime's internals.
 */
export class ScenarioError extends Error {
  override name = "ScenarioError";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.stack = `${this.name}: ${message}`;
  }
}
