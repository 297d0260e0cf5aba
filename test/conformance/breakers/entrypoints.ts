/** Faults that break the tests of conformance/tests/entrypoints.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "entrypoints/public-methods": ["class-exports-not-entrypoints", "sync-result-not-thenable"],
  "entrypoints/arguments": ["append-env-ctx"],
  "entrypoints/new-instance": ["reuse-instance"],
  "entrypoints/stateless": ["reuse-instance"],
  "entrypoints/constructor": ["constructor-args-swapped"],
  "entrypoints/fetch": ["fetch-as-rpc"],
  "entrypoints/fetch-missing-handler": ["missing-fetch-resolves-404"],
  "entrypoints/returned-thenable": ["thenable-result-as-object"],
  "entrypoints/instanceof": ["entrypoint-needs-runtime-ctx", "entrypoint-takes-anything"],
  "entrypoints/string-tag": ["entrypoint-untagged"],
};
