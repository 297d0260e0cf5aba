/** Faults that break the tests of conformance/tests/bindings.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "bindings/passed-over-rpc": ["bindings-copied-empty"],
  "bindings/fetch-arguments": ["fetch-scheme-unchecked"],
  "bindings/fetch-status-text": ["status-text-as-given"],
  "bindings/connect-socket": ["connect-returns-promise"],
};
