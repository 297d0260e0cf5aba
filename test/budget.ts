/**
 * How much the project's own tests run: `npm test` (the everyday loop, ≤ 5 minutes on two cores)
 * or `npm run test:full` (CI; `WRC_TEST_BUDGET=full`), which runs the same checks with the long
 * workerd runs at their full case counts. Nothing is skipped in either; only run counts differ.
 */
export const FULL_BUDGET = process.env.WRC_TEST_BUDGET === "full";

/** `quick` cases under `npm test`, `full` under `npm run test:full`. */
export function budget(quick: number, full: number): number {
  return FULL_BUDGET ? full : quick;
}
