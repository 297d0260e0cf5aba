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
 */
import { types } from "node:util";
import { BUILTIN_ERROR_NAMES } from "./realm.ts";
import type { BuiltinErrorName, Realm } from "./realm.ts";
import { dataCloneError, dataProperty, typeNameOf } from "./serialize.ts";

const thrownErrorNames = new Set<string>([...BUILTIN_ERROR_NAMES, "AggregateError"]);

/**
 * The error the caller sees for something the callee (or the runtime, on its behalf) threw.
 * `remote: false` is for failures that happen on the caller's side of the call (a bad URL given
 * to `env.S.fetch`): same rebuilding into the caller's realm, without the `remote` mark.
 */
export function toCallerError(thrown: unknown, caller: Realm, options: { remote: boolean } = { remote: true }): Error {
  let error: Error;
  try {
    error = rebuild(thrown, caller);
  } catch {
    // Reading the thrown value threw (a hostile Proxy): say so rather than fail the host.
    error = new caller.intrinsics.errors.Error("the callee threw a value that could not be inspected");
  }
  if (options.remote) markRemote(error);
  else hideStack(error);
  return error;
}

function rebuild(thrown: unknown, caller: Realm): Error {
  const { errors, AggregateError } = caller.intrinsics;
  if (thrown instanceof DOMException) return new DOMException(thrown.message, thrown.name);
  if (!types.isNativeError(thrown)) return new errors.Error(describeThrown(thrown));
  // Read as V8's serializer reads them: data properties only, a getter counts as absent.
  const rawName = dataProperty(thrown, "name");
  const name = typeof rawName === "string" ? rawName : "Error";
  const rawMessage = dataProperty(thrown, "message");
  const message = typeof rawMessage === "string" ? rawMessage : rawMessage === undefined ? "" : describeThrown(rawMessage);
  if (name === "AggregateError") return new AggregateError([], message);
  if (thrownErrorNames.has(name)) return new errors[name as BuiltinErrorName](message);
  return new errors.Error(errorToString(name, message));
}

/** A DataCloneError raised while copying a call's arguments or result, naming the call. */
export function cloneFailure(cause: DOMException, call: string, remote: boolean): DOMException {
  const error = dataCloneError(`${cause.message} (${call})`);
  if (remote) markRemote(error);
  else hideStack(error);
  return error;
}

function markRemote(error: Error): void {
  (error as Error & { remote?: boolean }).remote = true;
  hideStack(error);
}

/** The stack of an error built by the runtime would only show the runtime's own frames. */
function hideStack(error: Error): void {
  Object.defineProperty(error, "stack", { value: `${error.name}: ${error.message}`, writable: true, configurable: true });
}

/** Error.prototype.toString, on values read without running getters. */
function errorToString(name: string, message: string): string {
  if (name === "") return message;
  if (message === "") return name;
  return `${name}: ${message}`;
}

function describeThrown(value: unknown): string {
  if (typeof value === "object" && value !== null) return `#<${typeNameOf(value)}>`;
  if (typeof value === "function") return `#<Function>`;
  return String(value);
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
