/** Faults that break the tests of conformance/tests/errors.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "errors/thrown-text": ["thrown-null-prototype-as-text"],
  "errors/odd-errors": ["error-name-strings-only"],
  "errors/dom-exceptions": ["dom-exception-keeps-properties"],
};
