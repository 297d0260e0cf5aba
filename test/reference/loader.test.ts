/**
 * The module loader: each module compiled on its own and evaluated once per worker, with the
 * semantics of an ES module graph that workers can observe.
 */
import { expect } from "chai";
import { startScenario } from "../../reference/index.ts";
import type { WorkerDefinition } from "../../reference/index.ts";

const worker = (modules: Record<string, string>, main = "index.js"): WorkerDefinition => ({
  name: "w",
  main,
  modules,
  compatibilityDate: "2026-11-17",
  compatibilityFlags: [],
  vars: {},
  services: [],
});

async function answer(modules: Record<string, string>): Promise<unknown> {
  const scenario = await startScenario([worker(modules)], { onLog: () => {} });
  try {
    return await (await scenario.fetch("w", new Request("http://x/"))).json();
  } finally {
    await scenario.dispose();
  }
}

const respond = (expr: string) => `export default { async fetch() { return Response.json(${expr}); } };`;

describe("reference: the module loader", () => {
  it("keeps each module's own top-level names (two modules may both define class E)", async () => {
    const result = await answer({
      "index.js": `import { E as Other } from "./other.js";\nclass E {}\n${respond("[E.name, Other.name, new Other().constructor.name]")}`,
      "other.js": `export class E {}`,
    });
    expect(result).to.deep.equal(["E", "E", "E"]);
  });

  it("evaluates a module once however many modules import it, and lets import cycles see live bindings", async () => {
    const result = await answer({
      "index.js": `import { count } from "./counter.js";\nimport { again } from "./a.js";\nimport { ping } from "./cycle.js";\n${respond("[count, again, ping()]")}`,
      "counter.js": `export let count = 0; count++;`,
      "a.js": `import { count } from "./counter.js"; export const again = count;`,
      "cycle.js": `import { pong } from "./cycle2.js"; export function ping() { return pong(); } export const name = "cycle";`,
      "cycle2.js": `import { name } from "./cycle.js"; export function pong() { return name; }`,
    });
    expect(result).to.deep.equal([1, 1, "cycle"]);
  });

  it("serves dynamic import() and JSON modules from the worker's own modules", async () => {
    const result = await answer({
      "index.js": `import data from "./data.json";\nexport default { async fetch() { const m = await import("./late.js"); return Response.json([data.x, m.value]); } };`,
      "data.json": `{ "x": 7 }`,
      "late.js": `export const value = "late";`,
    });
    expect(result).to.deep.equal([7, "late"]);
  });

  it("ignores a broken module nothing imports, and names the file and line of a broken one that is imported", async () => {
    expect(await answer({ "index.js": respond("1"), "unused.js": "this is not javascript (" })).to.equal(1);
    let error: unknown;
    try {
      await startScenario([worker({ "index.js": `import "./bad.js";\n${respond("1")}`, "bad.js": "let x = ;" })]);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.match(/^worker "w": bad\.js:1:\d+: /);
  });
});
