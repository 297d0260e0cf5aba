/** Faults that break the tests of conformance/tests/bindings.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "bindings/entrypoint-isolation": ["merge-entrypoints"],
  "bindings/default-object": ["handler-object-any-arity"],
  "bindings/passed-over-rpc": ["bindings-copied-empty"],
  "bindings/named-object": ["handler-object-any-arity"],
};
