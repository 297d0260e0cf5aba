/** Every broken variant, one file per chapter (each replaces named steps of the runtime: reference/seams.ts). */
import type { BrokenVariant } from "./variant.ts";
import { VARIANTS as bindings } from "./bindings.ts";
import { VARIANTS as calls } from "./calls.ts";
import { VARIANTS as ctx } from "./ctx.ts";
import { VARIANTS as entrypoints } from "./entrypoints.ts";
import { VARIANTS as env } from "./env.ts";
import { VARIANTS as errors } from "./errors.ts";
import { VARIANTS as httpValues } from "./http-values.ts";
import { VARIANTS as limits } from "./limits.ts";
import { VARIANTS as pipelining } from "./pipelining.ts";
import { VARIANTS as serialization } from "./serialization.ts";
import { VARIANTS as stubs } from "./stubs.ts";
import { VARIANTS as visibility } from "./visibility.ts";

export type { BrokenVariant } from "./variant.ts";

export const VARIANTS: readonly BrokenVariant[] = [...bindings, ...calls, ...ctx, ...entrypoints, ...env, ...errors, ...httpValues, ...limits, ...pipelining, ...serialization, ...stubs, ...visibility];

/** The variant named `name`; the error lists the known names. */
export function variantNamed(name: string): BrokenVariant {
  const variant = VARIANTS.find((v) => v.name === name);
  if (variant === undefined) throw new TypeError(`unknown broken variant "${name}"; known variants: ${VARIANTS.map((v) => v.name).join(", ")}`);
  return variant;
}
