/**
 * What a by-value crossing is required to deliver, stated on the harness encoding of a value.
 *
 * The harness encoding (`encode` in harness.js) spells out everything the table of
 * spec/serialization.md talks about: types, -0 and NaN, holes, buffer windows, Map order, error
 * class/name/message/own properties, and shared references and cycles as ids. So "arrives equal"
 * is "the encodings are equal", once ids are numbered by first appearance (dropped parts of a value
 * shift later ids). `crossedEncoding` applies the rules where the copy is not the same value:
 * - SER-REGEXP: `lastIndex` starts at 0;
 * - SER-ERROR-VALUES: which class, name and own properties an error keeps, per profile.
 */
import type * as fc from "fast-check";
import { encode } from "../harness/harness.js";
import type { Profile } from "../engine/profiles.ts";

/** workerd's `enhanced_error_serialization`: on from 2026-04-21 or with its flag (SER-ERROR-VALUES). */
export function enhancedErrors(profile: Profile): boolean {
  if (profile.compatibilityFlags.includes("legacy_error_serialization")) return false;
  return profile.compatibilityFlags.includes("enhanced_error_serialization") || profile.compatibilityDate >= "2026-04-21";
}

/** The classes V8's own format keeps (by `name`); the enhanced format adds AggregateError. */
const LEGACY_CLASSES = new Set(["Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"]);
const ENHANCED_CLASSES = new Set([...LEGACY_CLASSES, "AggregateError"]);

type EncodedNode = { $?: string; id?: number; [key: string]: unknown };

/** The encoding of `value` after it crosses once by value under `profile` (ids renumbered). */
export function crossedEncoding(value: unknown, profile: Profile): unknown {
  return renumber(crossNode(encode(value), enhancedErrors(profile)));
}

/** The encoding of a value as it was observed (ids renumbered, to compare with crossedEncoding). */
export function observedEncoding(value: unknown): unknown {
  return renumber(encode(value));
}

function crossNode(node: unknown, enhanced: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => crossNode(n, enhanced));
  if (node === null || typeof node !== "object") return node;
  const n = node as EncodedNode;
  if (n.$ === "regexp") return { ...n, lastIndex: 0 };
  if (n.$ === "error") return crossError(n, enhanced);
  return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, crossNode(v, enhanced)]));
}

/** SER-ERROR-VALUES (and ERR-OWN-PROPERTIES, ERR-CAUSE for thrown errors). */
export function crossError(n: EncodedNode, enhanced: boolean): EncodedNode {
  const name = n.name;
  const props = (n.props as [string, unknown][]).map(([k, v]) => [k, crossNode(v, enhanced)] as [string, unknown]);
  if (enhanced) {
    const cls = typeof name === "string" && ENHANCED_CLASSES.has(name) ? name : "Error";
    // Every own property arrives, enumerable; a custom name arrives as an own property.
    return { $: "error", id: n.id, class: cls, name, message: n.message, props };
  }
  const cls = typeof name === "string" && LEGACY_CLASSES.has(name) ? name : "Error";
  const cause = props.filter(([k]) => k === "cause");
  const out: EncodedNode = { $: "error", id: n.id, class: cls, name: cls, message: n.message, props: cause };
  if (cause.length > 0) out.nonEnumerable = ["cause"];
  return out;
}

/** Number ids by first appearance, in encoding order, so two encodings compare by shape. */
export function renumber(tree: unknown): unknown {
  const ids = new Map<unknown, number>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const n = node as EncodedNode;
    if (n.$ === "ref") return { $: "ref", id: ids.get(n.id) ?? `unknown id ${String(n.id)}` };
    const out: EncodedNode = {};
    for (const [key, value] of Object.entries(n)) {
      if (key === "id" && typeof n.$ === "string") {
        ids.set(value, ids.size + 1);
        out.id = ids.size;
      } else out[key] = walk(value);
    }
    return out;
  };
  return walk(tree);
}

/**
 * Adds `fingerprint`, the case's harness encoding as text. The property runner tells cases apart
 * by `fc.stringify`, which prints every ArrayBuffer as `[object ArrayBuffer]`; the fingerprint
 * keeps two cases that differ only inside a buffer apart.
 */
export function withFingerprint<T extends object>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T & { fingerprint: string }> {
  return arbitrary.map((c) => ({ ...c, fingerprint: JSON.stringify(encode(c)) }));
}
