/** Faults that break the tests of conformance/tests/limits.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "limits/message-size": ["no-message-size-limit"],
  "limits/deep-nesting": ["shallow-nesting-limit"],
  "limits/string-size": ["strings-count-one-byte"],
  "limits/wire-size": ["size-counts-data-only", "no-message-size-limit"],
};
