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

/** Names a binding resolves on the caller's side (VIS-THEN, VIS-LOCAL-NAMES, VIS-NAME-FUZZ). */
const LOCAL_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "then", "fetch", "connect"]);

/** Names that reach the callee but are refused there (VIS-RESERVED). */
export const RESERVED_NAMES = ["dup", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"] as const;

/**
 * How workerd treats `env.S[name]` for a string name (spec/visibility.md, VIS-NAME-FUZZ):
 * - `local`: resolves on the binding object, never a call (`then` reads as undefined);
 * - `index`: a canonical array index, which reads as undefined on a binding;
 * - `reserved`: a call that is refused with the reserved-name error;
 * - `rpc`: an ordinary RPC name.
 */
export type NameClass = "local" | "index" | "reserved" | "rpc";

export function classifyName(name: string): NameClass {
  if (LOCAL_NAMES.has(name)) return "local";
  if (/^(?:0|[1-9][0-9]{0,9})$/.test(name) && Number(name) < 4294967295) return "index";
  if ((RESERVED_NAMES as readonly string[]).includes(name)) return "reserved";
  return "rpc";
}

/** Well-formed text: no lone surrogates, no NUL (workerd alters those; see VIS-NAME-FUZZ's note). */
const isWellFormedName = (name: string) => !name.includes("\u0000") && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name);

/**
 * Awkward method names: empty, spaces and punctuation, quotes and backslashes, line breaks,
 * unicode (astral included), numeric-looking, very long, and names with special meaning in
 * JavaScript or on a binding. Every name is well-formed text without NUL.
 */
export const awkwardName: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(" ", ".", "-", "\"", "'", "\\", "\n", "\t", "#", "$", "@", "/", "(", "[", "{", "é", "日", "😀"), maxLength: 6 }) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 4294967300 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom("0", "42", "4294967294", "4294967295", "01", "1.5", "-0", "1e3", "NaN") },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("x", "é", "😀", "ab "), fc.integer({ min: 200, max: 1000 })).map(([unit, n]) => unit.repeat(n).slice(0, 1000)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "", "__proto__", "prototype", "constructor", "then", "catch", "finally", "toString", "valueOf", "hasOwnProperty", "toJSON",
        "fetch", "connect", "dup", "alarm", "webSocketMessage", "webSocketClose", "webSocketError", "queue", "scheduled", "length",
        "name", "call", "apply", "bind", "arguments", "caller", "#x", "Symbol.iterator", "__defineGetter__", "toLocaleString",
      ),
    },
  )
  .filter(isWellFormedName);
