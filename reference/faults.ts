/**
 * Deliberately broken variants of the runtime.
 *
 * The project proves that each conformance test can fail by running it against the reference with
 * one fault switched on: a test that still passes under the fault for its requirement checks
 * nothing. Each fault breaks exactly one requirement, at the single place in the code where that
 * requirement is implemented; grep for the fault's key to find it (the line also names the
 * requirement ID).
 *
 * Normal mode pays one boolean check per fault site and nothing else.
 *
 * Being replaced (issue 12): faults move one runtime file at a time to broken variants declared in
 * test/conformance/variants/, which replace named steps (seams.ts) instead of branching here.
 */

export const FAULTS = {
} as const satisfies Record<string, string>;

/** The key of one deliberately broken variant; see {@link FAULTS} for what each breaks. */
export type Fault = keyof typeof FAULTS;

/** Which faults are on, as plain booleans so a fault site costs one property read. */
export type FaultSwitches = Readonly<Record<Fault, boolean>>;

/** Turn the caller's list into switches, refusing names that are not faults (a typo would otherwise test nothing). */
export function resolveFaults(faults: Iterable<Fault> | undefined): FaultSwitches {
  const switches = Object.fromEntries(Object.keys(FAULTS).map((key) => [key, false])) as Record<Fault, boolean>;
  for (const fault of faults ?? []) {
    if (!Object.hasOwn(FAULTS, fault)) {
      throw new TypeError(`unknown fault "${String(fault)}"; known faults: ${Object.keys(FAULTS).join(", ")}`);
    }
    (switches as Record<string, boolean>)[fault] = true; // (the list may be empty: every fault has become a variant)
  }
  return Object.freeze(switches);
}
