/** Faults that break the tests of conformance/tests/ctx.ts (see ../broken-runtimes.test.ts). */
import type { Fault } from "../../../reference/index.ts";

export const BREAKERS: Record<string, Fault[]> = {
  "ctx/wait-until": ["drop-waituntil"],
  "ctx/props": ["drop-props"],
  "ctx/per-call": ["shared-ctx"],
  "ctx/exports": ["no-ctx-exports"],
  "ctx/wait-until-imported": ["imported-waituntil-unsupported"],
  "ctx/wait-until-top-level": ["top-level-waituntil-allowed"],
};
