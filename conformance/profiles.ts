/**
 * Compatibility profiles: the same suite runs under several compatibility dates, because some
 * RPC behaviour depends on the date (spec/README.md, "Profiles"). A profile fixes the
 * `compatibility_date` and flags every worker of every scenario gets.
 */
import { createRequire } from "node:module";

export interface Profile {
  /** Name used on the command line (`--profile`), in reports and in the spec. */
  name: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  description: string;
}

/** The newest compatibility date the installed workerd supports. */
export const NEWEST_DATE: string = (() => {
  // require(), not import: the package's ESM/CJS interop differs between loaders.
  const date = (createRequire(import.meta.url)("workerd") as { compatibilityDate?: unknown }).compatibilityDate;
  if (typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`the workerd package reports no compatibility date (got ${String(date)})`);
  return date;
})();

export const PROFILES: Record<string, Profile> = {
  "2024-04-03": {
    name: "2024-04-03",
    compatibilityDate: "2024-04-03",
    compatibilityFlags: [],
    description: "the first date on which service bindings expose RPC methods",
  },
  current: {
    name: "current",
    compatibilityDate: NEWEST_DATE,
    compatibilityFlags: [],
    description: `the newest date the installed workerd supports (${NEWEST_DATE})`,
  },
};

export const DEFAULT_PROFILE = "current";

export function resolveProfile(name: string): Profile {
  const profile = PROFILES[name];
  if (!profile) {
    throw new Error(`unknown profile "${name}"; known profiles: ${Object.keys(PROFILES).join(", ")}`);
  }
  return profile;
}
