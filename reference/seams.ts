/**
 * Seams: the named steps of the semantics where a deliberately broken variant of the runtime
 * plugs in, so that the project can show every conformance test failing without a single
 * `if (broken)` on the runtime's code path.
 *
 * A file that owns such a step exports its steps as a group of plain functions, the real
 * behaviour (e.g. `CONTEXT_SEAMS` in context.ts), and calls them through `seams(realm, GROUP)`.
 * In a normal scenario that returns the group itself. A broken variant (test/conformance/variants/)
 * wraps some steps of some groups; the test-only entry `startBrokenScenario` (runtime.ts) installs
 * the wrapped steps for that scenario's realms. Nothing here is part of the public API (index.ts).
 *
 * A step receives what it works on, never the group: a step that calls another step of its group
 * goes through `seams(realm, GROUP)` again, so a variant that wraps the inner one is seen.
 */
import type { Realm } from "./loading/realm.ts";

/** A variant's replacements for some steps of one group: each gets the real step and returns its stand-in. */
export type StepOverrides<G> = { readonly [K in keyof G]?: (original: G[K]) => G[K] };

/** One group's overrides, as a variant declares them. */
export interface SeamOverride {
  readonly group: object;
  readonly steps: Readonly<Record<string, (original: never) => unknown>>;
}

/** Declare replacements for steps of `group` (type-checked against the group's steps). */
export function override<G extends object>(group: G, steps: StepOverrides<G>): SeamOverride {
  return { group, steps: steps as SeamOverride["steps"] };
}

/** The steps a scenario runs with: each group as a variant left it (the group itself when untouched). */
export class SeamTable {
  readonly #groups = new Map<object, object>();

  constructor(overrides: readonly SeamOverride[]) {
    for (const { group, steps } of overrides) {
      const current = (this.#groups.get(group) ?? { ...group }) as Record<string, unknown>;
      for (const [name, wrap] of Object.entries(steps)) {
        if (typeof current[name] !== "function") throw new TypeError(`a variant overrides "${name}", which is not a step of its group`);
        current[name] = wrap(current[name] as never);
      }
      this.#groups.set(group, Object.freeze(current));
    }
  }

  get<G extends object>(group: G): G {
    return (this.#groups.get(group) as G | undefined) ?? group;
  }
}

const tables = new WeakMap<Realm, SeamTable>();

/** Test-only: run `realm`'s steps from `table` (called once per worker at boot, by `startBrokenScenario`). */
export function installSeams(realm: Realm, table: SeamTable): void {
  tables.set(realm, table);
}

/** The steps of `group` for code running on behalf of `realm`: the group itself unless a variant replaced some. */
export function seams<G extends object>(realm: Realm, group: G): G {
  return tables.get(realm)?.get(group) ?? group;
}
