/**
 * Test-only adapter: the reference runtime with one deliberately broken variant, to watch a
 * conformance test fail against it.
 *
 *   npm run conformance -- --adapter=./test/conformance/broken-adapter.ts --adapter-option variant=<name> --grep=<test>
 *
 * `<name>` is a variant of `variants/` (each names the requirements it breaks and the tests it must fail).
 */
import type { Adapter } from "../../conformance/contract.ts";
import { createReferenceAdapter } from "../../conformance/adapters/reference.ts";
import { startBrokenScenario } from "../../reference/runtime.ts";
import { SeamTable } from "../../reference/seams.ts";
import { variantNamed, type BrokenVariant } from "./variants/index.ts";

/** The reference adapter running `variant`'s steps instead of the real ones. */
export function createBrokenAdapter(variant: BrokenVariant): Adapter {
  const table = new SeamTable(variant.seams);
  const reference = createReferenceAdapter();
  return {
    ...reference,
    name: `reference+${variant.name}`,
    async runtime() {
      const info = await reference.runtime();
      return { ...info, details: { ...info.details, variant: variant.name } };
    },
    start: (scenario) => startBrokenScenario(scenario.workers, { onLog: () => {} }, table),
  };
}

export default function createAdapter(options: Record<string, string> = {}): Adapter {
  const { variant, ...rest } = options;
  if (Object.keys(rest).length > 0) throw new TypeError(`unknown adapter option(s) ${Object.keys(rest).join(", ")}; this adapter takes variant=<name>`);
  if (variant === undefined) throw new TypeError("this adapter needs --adapter-option variant=<name>");
  return createBrokenAdapter(variantNamed(variant));
}
