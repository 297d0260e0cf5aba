/**
 * Resolving `--adapter=<name|path>` to an adapter. Built-in names are listed in BUILTIN_ADAPTERS;
 * anything that looks like a path is imported, and its default export (an Adapter, or a function
 * returning one) is checked against the contract before the run starts.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { existsSync } from "node:fs";
import { SUPPORTED_CONTRACT_VERSIONS, type Adapter } from "../contract.ts";
import { createReferenceAdapter } from "./reference.ts";
import { createWorkerdAdapter } from "./workerd.ts";
import { createMiniflareProxyAdapter } from "./miniflare-proxy.ts";
import { createWranglerProxyAdapter } from "./wrangler-proxy.ts";
import { MissingPackageError, requirePackages } from "./optional.ts";

export { createReferenceAdapter, createWorkerdAdapter, createMiniflareProxyAdapter, createWranglerProxyAdapter, MissingPackageError };

/**
 * `needs`: the optional peer dependencies the adapter drives (package.json `peerDependenciesMeta`);
 * they are checked before the adapter is created and imported only when it runs.
 */
export const BUILTIN_ADAPTERS: Record<string, { description: string; needs: readonly string[]; create: () => Adapter }> = {
  reference: { description: "this project's reference runtime, in-process (default)", needs: [], create: () => createReferenceAdapter() },
  workerd: { description: "Cloudflare's workerd, through miniflare", needs: ["miniflare", "workerd"], create: createWorkerdAdapter },
  "miniflare-proxy": { description: "probes in Node through Miniflare's getBindings() proxy, callees in workerd", needs: ["miniflare", "workerd"], create: createMiniflareProxyAdapter },
  "wrangler-proxy": { description: "probes in Node through wrangler's getPlatformProxy(), callees in workerd", needs: ["wrangler", "miniflare", "workerd"], create: createWranglerProxyAdapter },
};

export class UnknownAdapterError extends Error {
  override name = "UnknownAdapterError";
}

/** Throws UnknownAdapterError for an unknown name or path, MissingPackageError for a built-in whose packages are not installed. */
export async function resolveAdapter(spec: string): Promise<Adapter> {
  const builtin = BUILTIN_ADAPTERS[spec];
  if (builtin) {
    requirePackages(spec, builtin.needs);
    return builtin.create();
  }
  const looksLikePath = /[\\/]|\.m?[jt]s$/.test(spec);
  if (!looksLikePath) {
    const known = Object.entries(BUILTIN_ADAPTERS).map(([name, a]) => `  ${name.padEnd(10)} ${a.description}`).join("\n");
    throw new UnknownAdapterError(`unknown adapter "${spec}". Known adapters:\n${known}\nor a path to an adapter module, e.g. --adapter=./my-adapter.ts`);
  }
  const file = resolve(spec);
  if (!existsSync(file)) throw new UnknownAdapterError(`adapter module not found: ${file}`);
  const module = await import(pathToFileURL(file).href);
  const exported = module.default ?? module.adapter;
  const adapter: unknown = typeof exported === "function" ? await exported() : exported;
  return checkAdapter(adapter, file);
}

function checkAdapter(candidate: unknown, file: string): Adapter {
  const problems: string[] = [];
  const a = candidate as Partial<Adapter> | undefined;
  if (!a || typeof a !== "object") problems.push("the module's default export is not an object or a function returning one");
  else {
    if (typeof a.name !== "string" || !a.name) problems.push("`name` must be a non-empty string");
    if (typeof a.start !== "function") problems.push("`start(scenario)` must be a function");
    if (typeof a.runtime !== "function") problems.push("`runtime()` must be a function");
    if (!SUPPORTED_CONTRACT_VERSIONS.includes(a.contractVersion as number)) {
      problems.push(`\`contractVersion\` is ${JSON.stringify(a.contractVersion)}; this suite drives versions ${SUPPORTED_CONTRACT_VERSIONS.join(" and ")}`);
    }
    if (a.concurrentScenarios !== undefined && !(Number.isInteger(a.concurrentScenarios) && a.concurrentScenarios >= 1)) {
      problems.push(`\`concurrentScenarios\` is ${JSON.stringify(a.concurrentScenarios)}; when present it must be an integer of at least 1`);
    }
  }
  if (problems.length) throw new UnknownAdapterError(`${file} is not a valid adapter (conformance/ADAPTERS.md):\n  - ${problems.join("\n  - ")}`);
  return a as Adapter;
}
