/**
 * A deliberately broken variant of the reference runtime: which requirements it breaks, which
 * conformance tests must fail against it, and the steps (reference/seams.ts) it replaces.
 * `../broken-runtimes.test.ts` runs every declaration and shows each of its tests failing;
 * `../broken-adapter.ts` runs one through the conformance CLI.
 */
import type { SeamOverride } from "../../../reference/seams.ts";

export interface BrokenVariant {
  /** Unique, kebab-case: `--adapter-option variant=<name>`. */
  readonly name: string;
  /** Requirement IDs (spec/*.md) the variant violates. */
  readonly breaks: readonly string[];
  /** What changes, in one sentence. */
  readonly description: string;
  /** Conformance test ids that must fail against it. */
  readonly mustFail: readonly string[];
  /** The steps it replaces: `override(GROUP, { step: (original) => stand-in })`. */
  readonly seams: readonly SeamOverride[];
}
