/**
 * The seed policy. Outside CI the default seed is random (printed), because random seeds are how
 * property tests find new bugs. In CI (`CI` set, or `--ci`) the default seed is fixed, derived from
 * the suite's version, so a job's verdict changes only when the runtime or the suite does;
 * exploring with a random seed there is opt-in (`--seed=random`).
 */
import { createRequire } from "node:module";

export const SUITE_VERSION: string = createRequire(import.meta.url)("../../package.json").version;

/** FNV-1a of `workers-rpc-conformance@<version>`, as a signed 32-bit integer (fast-check's seed range). */
export function ciSeed(version = SUITE_VERSION): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`workers-rpc-conformance@${version}`)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash | 0;
}

/** `CI` as CI services set it: any value but empty, "0" or "false". */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

export function randomSeed(): number {
  return (Date.now() ^ (Math.random() * 0x100000000)) | 0;
}

/** The run's seed and why, from `--seed` (an integer, "random" or absent) and the CI setting. */
export function chooseSeed(option: string | undefined, ci: boolean): { seed: number; why: string } {
  if (option === "random") return { seed: randomSeed(), why: "random (--seed=random)" };
  if (option !== undefined) {
    if (!/^-?\d+$/.test(option)) throw new Error(`--seed expects an integer or "random", got "${option}"`);
    return { seed: Number(option) | 0, why: "given with --seed" };
  }
  if (ci) return { seed: ciSeed(), why: `fixed for CI, derived from suite version ${SUITE_VERSION}; --seed=random explores` };
  return { seed: randomSeed(), why: "random; CI runs use a fixed one (--ci)" };
}
