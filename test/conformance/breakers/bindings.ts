/** Faults that break the tests of conformance/tests/bindings.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "bindings/named-entrypoint": ["ignore-entrypoint"],
  "bindings/default-entrypoint": ["default-is-first-named"],
  "bindings/entrypoint-isolation": ["merge-entrypoints"],
  "bindings/default-object": ["handler-object-any-arity"],
  "bindings/self": ["self-binding-missing"],
  "bindings/same-target-twice": ["same-target-bindings-shared"],
  "bindings/passed-over-rpc": ["bindings-copied-empty"],
  "bindings/named-object": ["named-object-is-default", "handler-object-any-arity"],
};
