/**
 * Generated names for methods, classes, vars and bindings.
 *
 * `memberName` is for members a test expects to be callable: it avoids names the caller resolves
 * locally on a binding (Object.prototype members, `then`, the binding's own `fetch`/`connect`)
 * and names workerd reserves, because those are the subject of their own requirements.
 */
import * as fc from "fast-check";

/** Names a binding resolves locally or the runtime reserves; see spec/visibility.md. */
export const NOT_PLAIN_METHOD_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  "then", "catch", "finally",
  "fetch", "connect", "dup", "constructor",
  "alarm", "webSocketMessage", "webSocketClose", "webSocketError",
  "env", "ctx", "prototype",
]);

const identifierText = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,14}$/);

/** A JavaScript identifier usable as a plain RPC method name. */
export const memberName = identifierText.filter((n) => !NOT_PLAIN_METHOD_NAMES.has(n));

/** A name usable as an exported class name (identifier, capitalised, not a global we rely on). */
export const className = fc
  .stringMatching(/^[A-Z][A-Za-z0-9]{0,14}$/)
  .filter((n) => !["Response", "Request", "Headers", "URL", "Error", "Object", "Array", "Map", "Set", "Promise", "WorkerEntrypoint", "RpcTarget", "Date", "RegExp", "Symbol", "String", "Number", "Boolean", "Function", "JSON", "Math", "Reflect", "Proxy"].includes(n));

/** A name for a var or binding on env. */
export const envKey = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,14}$/);

/** `n` distinct values from `arb`. */
export function distinct<T>(arb: fc.Arbitrary<T>, minLength: number, maxLength: number): fc.Arbitrary<T[]> {
  return fc.uniqueArray(arb, { minLength, maxLength });
}
