/** Faults that break the tests of conformance/tests/stubs.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "stubs/echo": ["params-released-before-result"],
  "stubs/surface-classes": ["handles-plain-prototype", "json-reads-remote-tojson"],
};
