/** Faults that break the tests of conformance/tests/errors.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "errors/thrown-errors": ["thrown-errors-lose-class", "thrown-not-remote", "thrown-errors-legacy", "remote-stack-kept", "stack-line-name-colon"],
  // Under the `current` profile (the meta-test's), a thrown object crosses as a copy.
  "errors/non-error-throws": ["thrown-errors-legacy"],
  "errors/constructor-and-getter": ["thrown-errors-lose-class", "thrown-not-remote"],
  "errors/thrown-text": ["thrown-text-by-class", "thrown-null-prototype-as-text"],
  "errors/uninspectable": ["uninspectable-own-message"],
  "errors/runtime-error-realm": ["runtime-errors-host-realm"],
  "errors/odd-errors": ["error-name-strings-only", "thrown-message-stringified", "thrown-response-copied"],
  "errors/dom-exceptions": ["thrown-dom-exception-as-error", "dom-exception-keeps-properties"],
  "errors/value-stack": ["error-stack-copied"],
  // Under `current` (the meta-test's) DOMExceptions carry their tag; a runtime ignoring the flag the other way shows under 2024-04-03 (npm run conformance -- --profile=2024-04-03).
  "errors/dom-exception-tag": ["api-tags-never"],
};
