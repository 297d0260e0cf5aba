/**
 * Generated values that cross the RPC boundary. `jsonLikeValue` covers what SER-BASIC-VALUES
 * talks about: strings (including unicode and lone surrogates, which a UTF-8 round trip would
 * destroy), finite numbers (including -0), booleans, null, arrays and plain objects.
 */
import * as fc from "fast-check";

const anyCodeUnitString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 });

/** A string holding at least one lone surrogate: legal in JS, lost by any UTF-8 round trip. */
const loneSurrogateString = fc
  .tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 4 }))
  .map(([before, unit, after]) => before + String.fromCharCode(unit) + after);

export const jsonLikeString = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  anyCodeUnitString,
  loneSurrogateString,
);

export const finiteNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE));

/** A key for a plain object. `__proto__` is left to the visibility/serialization chapters. */
const objectKey = fc.oneof(fc.string({ maxLength: 8 }), anyCodeUnitString).filter((k) => k !== "__proto__");

export const jsonLikeValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    jsonLikeString,
    finiteNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(objectKey, tie("value"), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

/** A container (object or array) holding at least one nested container, for copy tests. */
export const jsonLikeContainer: fc.Arbitrary<Record<string, unknown> | unknown[]> = fc.oneof(
  fc.dictionary(objectKey, jsonLikeValue, { minKeys: 1, maxKeys: 5, noNullPrototype: true }).map((o) => ({ ...o, nested: { list: [1, 2] } })),
  fc.array(jsonLikeValue, { minLength: 1, maxLength: 5 }).map((a) => [...a, { nested: [1] }]),
);

/**
 * Strings that are valid Unicode. [vars] travel through configuration text, where workerd
 * replaces lone surrogates with U+FFFD, so generated var values must be well formed.
 */
export const wellFormedString = fc.oneof(fc.string({ maxLength: 16 }), fc.string({ unit: "grapheme", maxLength: 8 }));

/** A JSON value as configuration text can carry it: well-formed strings, no -0 (JSON has none). */
export const configJsonValue: fc.Arbitrary<unknown> = jsonLikeValue
  // JSON.stringify escapes lone surrogates (and only those) as \udXXX.
  .filter((v) => !/\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(v)))
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

/** Arguments for a call: JSON-like values plus `undefined`. */
export const argumentValue = fc.oneof({ weight: 5, arbitrary: jsonLikeValue }, { weight: 1, arbitrary: fc.constant(undefined) });

/**
 * An error message with no leading or trailing whitespace: workerd under `2024-04-03` trims a
 * thrown error's leading whitespace (an errors-chapter matter the stubs, calls and pipelining
 * tests stay clear of).
 */
export const errorMessage = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,:_-]{0,22}[A-Za-z0-9.]$/);
