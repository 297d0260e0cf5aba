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
import { CAPNWEB_OPTIONS, capnwebOptions, createCapnwebAdapter } from "./capnweb.ts";

export { createReferenceAdapter, createWorkerdAdapter, createMiniflareProxyAdapter, createWranglerProxyAdapter, createCapnwebAdapter, MissingPackageError };

/** `--adapter-option key=value` pairs, as given on the command line. */
export type AdapterOptions = Record<string, string>;

export interface BuiltinAdapter {
  description: string;
  /**
   * The optional peer dependencies the adapter drives (package.json `peerDependenciesMeta`); they
   * are checked before the adapter is created and imported only when it runs.
   */
  needs: readonly string[];
  /** The options the adapter takes (name → description); absent means none. */
  options?: Record<string, string>;
  create: (options: AdapterOptions) => Adapter;
}

export const BUILTIN_ADAPTERS: Record<string, BuiltinAdapter> = {
  reference: { description: "this project's reference runtime, in-process (default)", needs: [], create: () => createReferenceAdapter() },
  workerd: { description: "Cloudflare's workerd, through miniflare", needs: ["miniflare", "workerd"], create: createWorkerdAdapter },
  "miniflare-proxy": { description: "probes in Node through Miniflare's getBindings() proxy, callees in workerd", needs: ["miniflare", "workerd"], create: createMiniflareProxyAdapter },
  "wrangler-proxy": { description: "probes in Node through wrangler's getPlatformProxy(), callees in workerd", needs: ["wrangler", "miniflare", "workerd"], create: createWranglerProxyAdapter },
  capnweb: {
    description: "capnweb (npm, optional) in Node; each binding a session over a MessagePort (structured clone)",
    needs: ["capnweb"],
    options: CAPNWEB_OPTIONS,
    create: (options) => createCapnwebAdapter(capnwebOptions(options)),
  },
  "capnweb-string": {
    description: "capnweb with its JSON string wire (WebSocket/HTTP batch); = capnweb with transport=string",
    needs: ["capnweb"],
    options: CAPNWEB_OPTIONS,
    create: (options) => createCapnwebAdapter(capnwebOptions(options, { transport: "string" })),
  },
};

/** Parses repeated `--adapter-option key=value` arguments; throws UnknownAdapterError on a malformed one. */
export function parseAdapterOptions(pairs: readonly string[]): AdapterOptions {
  const options: AdapterOptions = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UnknownAdapterError(`--adapter-option expects key=value, got "${pair}"`);
    options[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return options;
}

export class UnknownAdapterError extends Error {
  override name = "UnknownAdapterError";
}

/**
 * Throws UnknownAdapterError for an unknown name or path, MissingPackageError for a built-in whose
 * packages are not installed. `options` (from `--adapter-option`) go to a built-in adapter that
 * declares options, or to an adapter module's default export when it is a function
 * (`createAdapter(options)`).
 */
export async function resolveAdapter(spec: string, options: AdapterOptions = {}): Promise<Adapter> {
  const builtin = BUILTIN_ADAPTERS[spec];
  if (builtin) {
    requirePackages(spec, builtin.needs);
    if (!builtin.options && Object.keys(options).length) throw new UnknownAdapterError(`adapter "${spec}" takes no --adapter-option (got ${Object.keys(options).join(", ")})`);
    try {
      return builtin.create(options);
    } catch (error) {
      throw new UnknownAdapterError(`adapter "${spec}": ${(error as Error).message}`);
    }
  }
  const looksLikePath = /[\\/]|\.m?[jt]s$/.test(spec);
  if (!looksLikePath) {
    const known = Object.entries(BUILTIN_ADAPTERS).map(([name, a]) => `  ${name.padEnd(16)} ${a.description}`).join("\n");
    throw new UnknownAdapterError(`unknown adapter "${spec}". Known adapters:\n${known}\nor a path to an adapter module, e.g. --adapter=./my-adapter.ts`);
  }
  const file = resolve(spec);
  if (!existsSync(file)) throw new UnknownAdapterError(`adapter module not found: ${file}`);
  const module = await import(pathToFileURL(file).href);
  const exported = module.default ?? module.adapter;
  if (typeof exported !== "function" && Object.keys(options).length) {
    throw new UnknownAdapterError(`${file} exports an adapter object, which takes no --adapter-option; export a function createAdapter(options) instead`);
  }
  let adapter: unknown;
  try {
    adapter = typeof exported === "function" ? await exported(options) : exported;
  } catch (error) {
    // With options given, a throw from the factory is taken as a refusal of them: bad usage.
    if (Object.keys(options).length) throw new UnknownAdapterError(`${file} refused its --adapter-option values: ${(error as Error).message}`);
    throw error;
  }
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
    if (a.emulates !== undefined && (typeof a.emulates !== "object" || a.emulates === null || Object.values(a.emulates).some((v) => typeof v !== "string"))) {
      problems.push("`emulates`, when present, must map requirement IDs to strings saying how the adapter provides them");
    }
    if (a.concurrentScenarios !== undefined && !(Number.isInteger(a.concurrentScenarios) && a.concurrentScenarios >= 1)) {
      problems.push(`\`concurrentScenarios\` is ${JSON.stringify(a.concurrentScenarios)}; when present it must be an integer of at least 1`);
    }
  }
  if (problems.length) throw new UnknownAdapterError(`${file} is not a valid adapter (conformance/ADAPTERS.md):\n  - ${problems.join("\n  - ")}`);
  return a as Adapter;
}
