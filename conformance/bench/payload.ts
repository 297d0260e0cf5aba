/** Figure 3's payload, shared by `npm run bench` and the A/B driver (ab.ts). */
import * as fc from "fast-check";

/** A generated value whose JSON is about `bytes` long (fixed seed, so every run sends the same). */
export function payloadOf(bytes: number): unknown {
  const record = fc.record({
    id: fc.integer(),
    name: fc.string({ maxLength: 24 }),
    score: fc.double({ noNaN: true, noDefaultInfinity: true }),
    tags: fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
    ok: fc.boolean(),
  });
  const out: unknown[] = [];
  let size = 2;
  let seed = 1;
  while (size < bytes) {
    for (const r of fc.sample(record, { seed: seed++, numRuns: 64 })) {
      out.push(r);
      size += JSON.stringify(r).length + 1;
      if (size >= bytes) break;
    }
  }
  return out;
}
