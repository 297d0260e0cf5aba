/**
 * Slim copies of the probe harness for callee workers. A callee usually needs only `input()` (to
 * rebuild a generated value) — a third of harness.js — yet every callee worker of every case used
 * to carry all of it, and a runtime compiles it once per worker (thousands per suite run). Here a
 * callee gets harness.js cut down by esbuild's tree shaking to exactly the names its modules
 * import from "./harness.js": the same code, nothing rewritten, only the unused parts left out.
 */
import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";
import { HARNESS_SOURCE } from "../engine/scenario.ts";

const HARNESS_DIR = fileURLToPath(new URL("./", import.meta.url));
const IMPORT_FROM_HARNESS = /import\s*(\{[^}]*\}|[^;{]*?)\s*from\s*["']\.\/harness\.js["']/g;
const cache = new Map<string, string>();
const slimSources = new Set<string>();

/**
 * Whether a module's source is the harness: harness.js itself or a slim copy `harnessFor` made.
 * Repro bundles leave such a module out and `npm run repro` puts the whole harness back, which
 * exports everything the slim copy did, with the same code.
 */
export function isHarnessSource(source: string): boolean {
  return source === HARNESS_SOURCE || slimSources.has(source);
}

/**
 * harness.js reduced to the names `sources` import from "./harness.js" (a named-imports list);
 * the whole harness when any import is of another form (namespace, default).
 */
export function harnessFor(...sources: string[]): string {
  const names = new Set<string>();
  for (const source of sources) {
    for (const [, clause] of source.matchAll(IMPORT_FROM_HARNESS)) {
      if (!clause!.startsWith("{")) return HARNESS_SOURCE;
      for (const part of clause!.slice(1, -1).split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0]!;
        if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
          if (name) return HARNESS_SOURCE;
          continue;
        }
        names.add(name);
      }
    }
  }
  const key = [...names].sort().join(",");
  let slim = cache.get(key);
  if (slim === undefined) {
    const result = buildSync({
      stdin: { contents: `export { ${key} } from "./harness.js";`, resolveDir: HARNESS_DIR, sourcefile: "callee-harness.js" },
      bundle: true,
      format: "esm",
      platform: "neutral",
      treeShaking: true,
      charset: "utf8",
      legalComments: "none",
      write: false,
      logLevel: "silent",
    });
    slim = `// The parts of the conformance suite's harness.js this worker imports (${key || "none"}), cut out by esbuild.\n${result.outputFiles[0]!.text}`;
    cache.set(key, slim);
    slimSources.add(slim);
  }
  return slim;
}
