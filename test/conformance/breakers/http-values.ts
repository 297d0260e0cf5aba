/** Faults that break the tests of conformance/tests/http-values.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "http-values/set-cookie": ["set-cookie-combined"],
  "http-values/blob": ["blob-type-dropped"],
  "http-values/bodies-moved": ["sent-body-released", "used-body-sent-empty"],
  "http-values/platform-objects-refused": ["platform-objects-as-plain"],
  "http-values/stream-strings": ["string-chunks-refused"],
};
