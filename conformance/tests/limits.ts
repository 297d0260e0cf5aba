/** Conformance tests for spec/limits.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import v8 from "node:v8";
import { defineTest, labelled } from "../engine/define.ts";
import { probeWorker } from "../engine/scenario.ts";
import { className } from "../arbitraries/names.ts";
import { normalise } from "../diff/normalisations.ts";
import { calleeModules, describeError, lit } from "./support.ts";
import type { Observed } from "./support.ts";

const MIB_32 = 32 * 1024 * 1024;
const SIZE_MESSAGE = /^Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: (\d+) bytes\.$/;

/**
 * Source of `makePayload(kind, bytes)`: binary data of `bytes` bytes in total (cheap to build,
 * cheap to measure), and `payloadBytes(value)`, which measures it back.
 */
const PAYLOAD_SOURCE = `function makePayload(kind, bytes) {
  switch (kind) {
    case "ArrayBuffer": return [new ArrayBuffer(bytes)];
    case "Uint8Array": return [new Uint8Array(bytes)];
    case "Float64Array": return [new Float64Array(bytes / 8)];
    case "two-views": return [new Uint8Array(bytes / 2), { nested: new Uint16Array(bytes / 4) }];
  }
}
function payloadBytes(value) {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value !== null && typeof value === "object") return Object.values(value).reduce((sum, v) => sum + payloadBytes(v), 0);
  return 0;
}`;

defineTest({
  id: "limits/message-size",
  title: "arguments or a result over 32 MiB serialized reject with workerd's size error; just under the limit crosses",
  requirements: ["LIMIT-MESSAGE-SIZE"],
  numRuns: 6,
  arbitrary: fc.record({
    cls: className,
    direction: fc.constantFrom("argument", "result"),
    kind: fc.constantFrom("ArrayBuffer", "Uint8Array", "Float64Array", "two-views"),
    over: fc.boolean(),
    // A multiple of 8 so every kind divides it evenly.
    delta: fc.integer({ min: 1, max: 8192 }).map((n) => n * 8),
  }),
  scenario({ cls, direction, kind, over, delta }) {
    const bytes = over ? MIB_32 + delta : MIB_32 - 4096 - delta;
    const call =
      direction === "argument"
        ? `env.S.take(...makePayload(${lit(kind)}, ${bytes}))`
        : `env.S.give(${lit(kind)}, ${bytes}).then((value) => payloadBytes(value))`;
    return {
      workers: [
        {
          name: "callee",
          modules: calleeModules(`${PAYLOAD_SOURCE}
export class ${cls} extends WorkerEntrypoint {
  take(...args) { return payloadBytes(args); }
  give(kind, bytes) { return makePayload(kind, bytes); }
}`),
        },
        probeWorker(
          "probe",
          `${PAYLOAD_SOURCE}
           const result = await observe(() => ${call});
           return respond({ result, remote: result.ok ? undefined : result.error?.remote });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ direction, kind, over, delta }, observed) {
    const o = observed as { result: Observed; remote: unknown };
    const bytes = over ? MIB_32 + delta : MIB_32 - 4096 - delta;
    const what = `${bytes} bytes of ${kind} as the ${direction}`;
    if (!over) {
      if (!o.result.ok) throw new Error(`${what}: expected the call to succeed, but it failed with ${describeError(o.result.error)}`);
      expect(o.result.value, `${what}: bytes that arrived`).to.equal(bytes);
      return;
    }
    if (o.result.ok) throw new Error(`${what}: expected a rejection for exceeding 32 MiB, but the call succeeded`);
    expect(o.result.sync, `${what}: the call threw synchronously`).to.not.equal(true);
    const error = o.result.error as Error;
    expect(error, `${what}: rejection value`).to.be.an("error");
    expect(error.constructor.name, `${what}: error class`).to.equal("Error");
    expect(error.message, `${what}: error message`).to.match(SIZE_MESSAGE);
    const reported = Number(SIZE_MESSAGE.exec(error.message)![1]);
    expect(reported, `${what}: the size the message reports`).to.be.at.least(bytes);
    expect(o.remote, `${what}: error.remote`).to.equal(direction === "result" ? true : undefined);
  },
});

defineTest({
  id: "limits/deep-nesting",
  title: "arrays and objects nested up to 1,000 levels deep cross both ways",
  requirements: ["LIMIT-DEEP-NESTING"],
  numRuns: 10,
  arbitrary: fc.record({ cls: className, depth: fc.integer({ min: 1, max: 1000 }), shape: fc.constantFrom("array", "object") }),
  scenario({ cls, depth, shape }) {
    const nesting = `function nest(depth, shape) {
  let v = "bottom";
  for (let i = 0; i < depth; i++) v = shape === "array" ? [v] : { inner: v };
  return v;
}
function depthOf(v) {
  let depth = 0;
  while (v !== null && typeof v === "object") { v = Array.isArray(v) ? v[0] : v.inner; depth++; }
  return v === "bottom" ? depth : -1;
}`;
    return {
      workers: [
        {
          name: "callee",
          modules: calleeModules(`${nesting}
export class ${cls} extends WorkerEntrypoint {
  measure(value) { return depthOf(value); }
  make(depth, shape) { return nest(depth, shape); }
}`),
        },
        probeWorker(
          "probe",
          `${nesting}
           const argument = await observe(() => env.S.measure(nest(${depth}, ${lit(shape)})));
           const result = await observe(() => env.S.make(${depth}, ${lit(shape)}).then(depthOf));
           return respond({ argument, result });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ depth, shape }, observed) {
    const o = observed as { argument: Observed; result: Observed };
    for (const [direction, r] of Object.entries(o)) {
      const what = `${shape} nested ${depth} deep as the ${direction}`;
      if (!r.ok) throw new Error(`${what}: expected it to cross, but the call failed with ${describeError(r.error)}`);
      expect(r.value, `${what}: depth that arrived`).to.equal(depth);
    }
  },
});

/** A short string repeated: all code units at most U+00FF ("narrow"), or at least one above ("wide"). */
const narrowUnit = fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c));
const wideUnit = fc.integer({ min: 0x100, max: 0xffff }).map((c) => String.fromCharCode(c));
const stringSeed = fc.oneof(
  fc.array(narrowUnit, { minLength: 1, maxLength: 4 }).map((units) => ({ wide: false, seed: units.join("") })),
  fc
    .tuple(fc.array(narrowUnit, { maxLength: 3 }), wideUnit, fc.array(fc.oneof(narrowUnit, wideUnit), { maxLength: 2 }))
    .map(([before, wide, after]) => ({ wide: true, seed: [...before, wide, ...after].join("") })),
);

/** Source of `sameString(s, seed, units)`: whether `s` is `seed` repeated to exactly `units` code units. */
const STRING_SOURCE = `function sameString(s, seed, repeats) {
  return typeof s === "string" && s.length === seed.length * repeats && s.startsWith(seed) && s.endsWith(seed) && s.slice(seed.length * (repeats >> 1), seed.length * ((repeats >> 1) + 1)) === seed;
}`;

defineTest({
  id: "limits/string-size",
  title: "a string counts one byte per code unit when all are at most U+00FF, two otherwise, toward the 32 MiB limit",
  requirements: ["LIMIT-STRING-SIZE", "LIMIT-MESSAGE-SIZE"],
  numRuns: 6,
  arbitrary: fc.record({
    cls: className,
    direction: fc.constantFrom("argument", "result"),
    seed: stringSeed,
    over: fc.boolean(),
    delta: fc.integer({ min: 1, max: 65536 }),
  }),
  scenario({ cls, direction, seed, over, delta }) {
    const repeats = stringRepeats(seed, over, delta);
    const call =
      direction === "argument"
        ? `env.S.take(${lit(seed.seed)}.repeat(${repeats}))`
        : `env.S.give().then((s) => sameString(s, ${lit(seed.seed)}, ${repeats}))`;
    return {
      workers: [
        {
          name: "callee",
          modules: calleeModules(`${STRING_SOURCE}
export class ${cls} extends WorkerEntrypoint {
  take(s) { return sameString(s, ${lit(seed.seed)}, ${repeats}); }
  give() { return ${lit(seed.seed)}.repeat(${repeats}); }
}`),
        },
        probeWorker(
          "probe",
          `${STRING_SOURCE}
           const result = await observe(() => ${call});
           return respond({ result, remote: result.ok ? undefined : result.error?.remote });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ direction, seed, over, delta }, observed) {
    const o = observed as { result: Observed; remote: unknown };
    const units = seed.seed.length * stringRepeats(seed, over, delta);
    const bytes = units * (seed.wide ? 2 : 1);
    const what = `a ${seed.wide ? "two-byte" : "one-byte"} string of ${units} code units as the ${direction}`;
    if (!over) {
      if (!o.result.ok) throw new Error(`${what}: expected the call to succeed, but it failed with ${describeError(o.result.error)}`);
      expect(o.result.value, `${what}: arrived intact`).to.equal(true);
      return;
    }
    if (o.result.ok) throw new Error(`${what} (${bytes} bytes): expected a rejection with the 32 MiB size error, but the call resolved`);
    expect(o.result.sync, `${what}: the error was thrown synchronously`).to.not.equal(true);
    const error = o.result.error as Error;
    expect(error.constructor.name, `${what}: error class`).to.equal("Error");
    const match = SIZE_MESSAGE.exec(error.message);
    expect(match, `${what}: error message ${JSON.stringify(error.message)}`).to.not.equal(null);
    expect(Number(match![1]), `${what}: the size named in the message`).to.be.at.least(bytes);
    expect(o.remote, `${what}: error.remote`).to.equal(direction === "result" ? true : undefined);
  },
});

/** How many times the seed repeats: just over the limit, or a few KiB under it, in bytes. */
function stringRepeats(seed: { wide: boolean; seed: string }, over: boolean, delta: number): number {
  const unitsAllowed = MIB_32 / (seed.wide ? 2 : 1);
  const target = over ? unitsAllowed + delta : unitsAllowed - 4096 - delta;
  return over ? Math.ceil(target / seed.seed.length) : Math.floor(target / seed.seed.length);
}

/**
 * LIMIT-WIRE-SIZE: the size of V8's serialization of a message (Node's v8.Serializer writes the
 * same format once typed arrays are written as V8 writes them).
 */
function v8WireSize(message: unknown): number {
  const serializer = new v8.Serializer() as v8.Serializer & { _setTreatArrayBufferViewsAsHostObjects(flag: boolean): void };
  serializer._setTreatArrayBufferViewsAsHostObjects(false);
  serializer.writeHeader();
  serializer.writeValue(message);
  return serializer.releaseBuffer().length;
}

const WIRE_KINDS = {
  string: { source: (n: number) => `"a".repeat(${n})`, build: (n: number) => "a".repeat(n) },
  Uint8Array: { source: (n: number) => `new Uint8Array(${n})`, build: (n: number) => new Uint8Array(n) },
  ArrayBuffer: { source: (n: number) => `new ArrayBuffer(${n})`, build: (n: number) => new ArrayBuffer(n) },
} as const;

/** Data bytes for which the message's wire size is the limit plus `offset`. */
function dataBytesFor(kind: keyof typeof WIRE_KINDS, direction: "argument" | "result", offset: number): number {
  const probe = WIRE_KINDS[kind].build(MIB_32);
  const overhead = v8WireSize(direction === "argument" ? [probe] : probe) - MIB_32;
  return MIB_32 + offset - overhead;
}

defineTest({
  id: "limits/wire-size",
  title: "the 32 MiB limit applies to V8's serialization of the message, header and tags included; the error names exactly that size and is, in every observable way, a plain Error of the caller's own",
  requirements: ["LIMIT-WIRE-SIZE", "LIMIT-MESSAGE-SIZE", "ERR-RUNTIME-REALM"],
  numRuns: 6,
  arbitrary: fc.record({
    cls: className,
    direction: fc.constantFrom("argument" as const, "result" as const),
    kind: fc.constantFrom(...(Object.keys(WIRE_KINDS) as (keyof typeof WIRE_KINDS)[])),
    offset: fc.integer({ min: -12, max: 12 }),
  }),
  scenario({ cls, direction, kind, offset }) {
    const value = WIRE_KINDS[kind].source(dataBytesFor(kind, direction, offset));
    const call = direction === "argument" ? `env.S.take(${value})` : `env.S.give().then((v) => "arrived")`;
    // ERR-RUNTIME-REALM: the error is observed whole (harness observeDeep), next to the error the
    // caller itself would make with the expected message (and remote mark): the two must be alike.
    const twin = `Object.assign(new Error(${lit(sizeMessage(MIB_32 + offset))}), ${direction === "result" ? "{ remote: true }" : "{}"})`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n  take(v) { return "arrived"; }\n  give() { return ${value}; }\n}`) },
        probeWorker(
          "probe",
          `const result = await observe(() => ${call});
           return respond(result.ok ? result : { ok: false, sync: result.sync === true, error: JSON.stringify(observeDeep(result.error)), ownError: JSON.stringify(observeDeep(${twin})) });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ direction, kind, offset }, observed) {
    const bytes = MIB_32 + offset;
    const what = `a ${kind} ${direction} whose serialized message is ${bytes} bytes`;
    const o = observed as { ok: boolean; value?: unknown; sync?: boolean; error?: string; ownError?: string };
    if (offset <= 0) {
      expect(observed, what).to.deep.equal({ ok: true, value: "arrived" });
      return;
    }
    if (o.ok) throw new Error(`${what}: expected a rejection with the 32 MiB size error, but the call resolved with ${JSON.stringify(o.value)}`);
    labelled("the size error was thrown synchronously", ["LIMIT-MESSAGE-SIZE"], () => expect(o.sync, `${what}: thrown synchronously`).to.equal(false));
    // Stack frames and how \`stack\` is defined are incidental (spec/incidental.md), as in the diff engine.
    const [error, own] = [o.error!, o.ownError!].map((json) => normalise(JSON.parse(json)));
    const twin = direction === "result" ? "new Error(message) with remote set to true" : "new Error(message)";
    labelled(`the ${direction}'s size error, observed whole, is the caller's own ${twin}`, ["LIMIT-MESSAGE-SIZE", "ERR-RUNTIME-REALM"], () =>
      expect(error, `${what}: the rejection (deep observation) against the caller's own ${twin}`).to.deep.equal(own),
    );
  },
});

function sizeMessage(bytes: number): string {
  return `Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: ${bytes} bytes.`;
}
