/** Faults that break the tests of conformance/tests/serialization.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "serialization/basic-values": ["lossy-strings"],
  "serialization/structured-clone-table": [
    "holes-become-undefined",
    "dates-as-numbers",
    "regexp-keeps-lastindex",
    "map-entries-reversed",
    "arraybuffers-zeroed",
    "views-own-buffer",
    "dataview-offset-zero",
    "boxed-unboxed",
    "shared-refs-copied-twice",
    "error-values-legacy",
  ],
  "serialization/rejected-values": ["class-instances-as-plain", "null-prototype-as-plain", "generic-reject-message", "iterators-class-message"],
  "serialization/rpc-thenables-refused": ["rpc-thenables-as-stubs"],
  "serialization/own-enumerable": ["non-enumerable-copied"],
  "serialization/proxy": ["proxies-copied"],
};
