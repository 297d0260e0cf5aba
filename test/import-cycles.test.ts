/**
 * No import cycles in conformance/ or reference/: a cycle means two modules are one module in
 * two files, and the layout no longer shows which depends on which. Every static import and
 * re-export counts, `import type` included (a type cycle is still a design cycle); dynamic
 * `import()` does not (it is how optional packages are loaded on demand).
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIRS = ["conformance", "reference"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Relative specifiers of a module's static imports and re-exports, comments stripped first. */
export function staticImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const specifiers: string[] = [];
  const pattern = /(?:^|[;}\s])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"']+)["']/g;
  for (const m of code.matchAll(pattern)) if (m[1]!.startsWith(".")) specifiers.push(m[1]!);
  return specifiers;
}

/** Every cycle's modules (strongly connected components of more than one module, or a self-import). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

describe("layout: import cycles", () => {
  it("the checker finds a cycle when there is one, and reads import type, export from and multi-line imports", () => {
    expect(
      staticImports(
        `import type { A } from "./a.ts";\nexport { b } from "./b.ts";\nimport {\n  c,\n  d,\n} from "./c.ts";\nimport "./side.ts";\n// import x from "./commented.ts";\nconst m = await import("./lazy.ts");\nimport fs from "node:fs";`,
      ),
    ).to.deep.equal(["./a.ts", "./b.ts", "./c.ts", "./side.ts"]);
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
      ["e", ["e"]],
    ]);
    expect(importCycles(graph)).to.deep.equal([["a", "b", "c"], ["e"]]);
  });

  it("conformance/ and reference/ import no module that imports them back", () => {
    const graph = new Map<string, string[]>();
    for (const dir of DIRS) {
      for (const file of sourceFiles(join(ROOT, dir))) {
        // A specifier that names no file is worker code inside a template string (tests build
        // workers that import "./harness.js"); tsc checks the real imports resolve.
        const targets = staticImports(readFileSync(file, "utf8"))
          .map((spec) => resolve(dirname(file), spec))
          .filter((target) => existsSync(target));
        graph.set(
          relative(ROOT, file),
          targets.map((target) => relative(ROOT, target)),
        );
      }
    }
    expect(graph.size, "modules read").to.be.greaterThan(50);
    const cycles = importCycles(graph).map((c) => c.join(" ↔ "));
    expect(cycles, "import cycles").to.deep.equal([]);
  });
});
