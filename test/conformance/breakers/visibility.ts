/** Faults that break the tests of conformance/tests/visibility.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "visibility/private-members": ["expose-private"],
  "visibility/unknown-method": ["unknown-method-resolves-undefined"],
  "visibility/prototype-getter": ["getters-unreachable", "call-non-function-resolves"],
  "visibility/inherited": ["own-class-only"],
  "visibility/own-static-env-ctx": ["own-properties-reachable", "statics-reachable", "env-ctx-reachable"],
  "visibility/reserved": ["reserved-callable"],
};
