/**
 * Non-JavaScript imports as wrangler bundles them: module rules.
 *
 * wrangler's defaults are `**\/*.txt`, `**\/*.html`, `**\/*.sql` as Text (a string), `**\/*.bin` as
 * Data (an ArrayBuffer) and `**\/*.wasm` (also `*.wasm?module`) as CompiledWasm (a
 * `WebAssembly.Module`); `[[rules]]` in wrangler.toml come first, and a rule's type replaces the
 * default of that type unless the rule says `fallthrough = true`. The bundler turns each such
 * import into a small ES module whose default export is built inside the worker's realm.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as esbuild from "esbuild";

export type ModuleRuleType = "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm";
export const MODULE_RULE_TYPES: readonly ModuleRuleType[] = ["ESModule", "CommonJS", "Text", "Data", "CompiledWasm"];

export interface ModuleRule {
  type: ModuleRuleType;
  globs: string[];
  fallthrough?: boolean;
}

export const DEFAULT_MODULE_RULES: readonly ModuleRule[] = [
  { type: "Text", globs: ["**/*.txt", "**/*.html", "**/*.sql"] },
  { type: "Data", globs: ["**/*.bin"] },
  { type: "CompiledWasm", globs: ["**/*.wasm", "**/*.wasm?module"] },
];

/** The rules in force: the config's, then the defaults whose type the config did not take over. */
export function effectiveRules(configured: readonly ModuleRule[]): ModuleRule[] {
  const replaced = new Set(configured.filter((rule) => !rule.fallthrough).map((rule) => rule.type));
  return [...configured, ...DEFAULT_MODULE_RULES.filter((rule) => !replaced.has(rule.type))];
}

/** A glob as wrangler writes them (`**` any directories, `*` within one name) as a RegExp on a relative path. */
export function globPattern(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** The esbuild plugin that applies `rules` to files under `root` (the config's folder). */
export function moduleRulesPlugin(root: string, configured: readonly ModuleRule[]): esbuild.Plugin {
  const withPatterns = (rule: ModuleRule) => ({ ...rule, patterns: rule.globs.map(globPattern) });
  const rules = effectiveRules(configured).map(withPatterns);
  const removed = DEFAULT_MODULE_RULES.filter((rule) => !effectiveRules(configured).includes(rule)).map(withPatterns);
  const matches = (rule: ReturnType<typeof withPatterns>, file: string) => {
    const relative = path.relative(root, file).split(path.sep).join("/");
    return rule.patterns.some((pattern) => pattern.test(relative) || pattern.test(path.basename(file)));
  };
  const ruleFor = (file: string) => rules.find((rule) => matches(rule, file));
  return {
    name: "reference-module-rules",
    setup(build) {
      // `import mod from "./x.wasm?module"`: the suffix names the rule, not the file.
      build.onResolve({ filter: /\?module$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\?module$/, "")) }));
      build.onLoad({ filter: /.*/ }, async (args) => {
        const rule = ruleFor(args.path);
        if (rule === undefined) {
          // As wrangler says it: a default rule was dropped by a [[rules]] entry of its type.
          const dropped = removed.find((candidate) => matches(candidate, args.path));
          if (dropped === undefined) return undefined;
          const { patterns, ...shown } = dropped;
          void patterns;
          return { errors: [{ text: `${path.relative(root, args.path).split(path.sep).join("/")} matches the default module rule ${JSON.stringify(shown)}, which a [[rules]] entry of type "${dropped.type}" without \`fallthrough = true\` replaced` }] };
        }
        if (rule.type === "ESModule" || rule.type === "CommonJS") return undefined;
        const bytes = await readFile(args.path);
        switch (rule.type) {
          case "Text":
            return { contents: bytes.toString("utf8"), loader: "text" };
          case "Data":
            return { contents: `export default ${bytesExpression(bytes)}.buffer;`, loader: "js" };
          case "CompiledWasm":
            return { contents: `export default new WebAssembly.Module(${bytesExpression(bytes)});`, loader: "js" };
        }
      });
    },
  };
}

/** A Uint8Array of the worker's realm holding `bytes` (base64 keeps the bundle small). */
function bytesExpression(bytes: Buffer): string {
  return `Uint8Array.from(atob(${JSON.stringify(bytes.toString("base64"))}), (c) => c.charCodeAt(0))`;
}
