/** Faults that break the tests of conformance/tests/pipelining.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "pipelining/same-instance": ["pipeline-reruns-call"],
  "pipelining/failure": ["pipeline-failure-generic"],
  "pipelining/non-object": ["pipeline-primitive-undefined"],
  "pipelining/path-non-plain": ["path-through-any-object"],
  "pipelining/path-this": ["path-this-lost"],
  "pipelining/unsendable-result": ["pipeline-ignores-send-failure"],
};
