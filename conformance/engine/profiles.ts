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

/**
 * The newest compatibility date of the workerd this suite was last verified against (the
 * `workerd` devDependency; test/profiles.test.ts keeps the two equal). It stands for "current"
 * when workerd, an optional peer dependency, is not installed.
 */
export const VERIFIED_DATE = "2026-11-17";

/** The newest compatibility date the installed workerd supports, or VERIFIED_DATE without workerd. */
export const NEWEST_DATE: string = (() => {
  let workerd: { compatibilityDate?: unknown };
  try {
    // require(), not import: the package's ESM/CJS interop differs between loaders.
    workerd = createRequire(import.meta.url)("workerd");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return VERIFIED_DATE;
    throw error;
  }
  const date = workerd.compatibilityDate;
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
