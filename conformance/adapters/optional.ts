/**
 * The packages only some built-in adapters drive — `miniflare`, `workerd`, `wrangler` — are
 * optional peer dependencies: a runtime author testing their own adapter needs none of them.
 * An adapter that needs one checks for it before it is created and loads it on first use, so a
 * missing package is one clear sentence naming what to install, never a module-resolution trace.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export class MissingPackageError extends Error {
  override name = "MissingPackageError";
}

/** Whether `pkg` resolves from the suite's own location (where npm puts peers and devDependencies). */
export function isInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch (error) {
    // A package whose `exports` map leaves out package.json (capnweb does) is installed all the same.
    return (error as { code?: string }).code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
  }
}

/** The sentence a user sees when `adapter` needs `packages` and some are missing. */
export function missingPackagesMessage(adapter: string, packages: readonly string[]): string {
  const missing = packages.filter((p) => !isInstalled(p));
  const list = missing.join(" and ");
  return `the ${adapter} adapter needs ${list}, which ${missing.length === 1 ? "is" : "are"} not installed: install ${list} (npm install --save-dev ${missing.join(" ")}) to use this adapter`;
}

/** Throws MissingPackageError unless every one of `packages` is installed. */
export function requirePackages(adapter: string, packages: readonly string[]): void {
  if (packages.every(isInstalled)) return;
  throw new MissingPackageError(missingPackagesMessage(adapter, packages));
}

/** `require(id)` for an optional package, with the same clear error when it is missing. */
export function requireOptional<T>(adapter: string, pkg: string, id: string = pkg): T {
  requirePackages(adapter, [pkg]);
  return require(id) as T;
}
