/** Faults that break the tests of conformance/tests/stubs.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "stubs/function": ["function-results-refused"],
  "stubs/function-arg": ["function-arguments-refused"],
  "stubs/rpctarget": ["rpctarget-own-properties-visible"],
  "stubs/nested": ["nested-stubs-refused"],
  "stubs/forward": ["forward-stub-refused"],
  "stubs/lifecycle-model": ["dispose-noop", "dup-shares-handle", "params-always-transfer"],
  "stubs/result-dispose": ["result-dispose-noop"],
  "stubs/rpctarget-disposer": ["target-disposer-never-runs", "dup-shares-handle"],
  "stubs/params-released": ["params-kept-after-call"],
  "stubs/same-target": ["disposer-once-per-target"],
  "stubs/async-dispose-ignored": ["async-disposer-runs"],
  "stubs/rpctarget-hidden": ["rpctarget-statics-reachable"],
  "stubs/rpcstub-wrap": ["rpcstub-returns-value"],
  "stubs/rpcstub-refused": ["rpcstub-wraps-anything"],
  "stubs/reserved-dup": ["dup-dispatched-past-stubs"],
  "stubs/target-errors": ["stub-errors-not-remote"],
  "stubs/rpcstub-dispose": ["rpcstub-leaks-target"],
  "stubs/result-shape": ["result-dispose-only-with-stubs"],
  "stubs/echo": ["params-released-before-result"],
  "stubs/disposed-sent": ["disposed-stub-refused", "dup-disposed-works"],
  "stubs/surface-classes": ["handles-plain-prototype", "json-reads-remote-tojson"],
};
