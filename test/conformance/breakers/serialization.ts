/** Faults that break the tests of conformance/tests/serialization.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "serialization/basic-values": ["lossy-strings"],
  "serialization/copy-arguments": ["args-by-reference"],
  "serialization/copy-result": ["result-by-reference"],
};
