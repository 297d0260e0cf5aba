/**
 * Module rules as wrangler applies them: defaults (Text .txt/.html/.sql, Data .bin, CompiledWasm
 * .wasm), `[[rules]]` first, a rule's type replacing the default of that type unless it falls
 * through; and a bad rule refused with file, line and key.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadWranglerToml, startScenario } from "../../reference/index.ts";

const ADD_WASM = Buffer.from("0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b", "hex");

describe("reference: module rules", function () {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "reference-rules-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function project(toml: string, files: Record<string, string | Buffer>): string {
    for (const [name, contents] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), contents);
    }
    writeFileSync(path.join(dir, "wrangler.toml"), `name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2024-04-03"\n${toml}`);
    return path.join(dir, "wrangler.toml");
  }

  async function answer(file: string): Promise<unknown> {
    const scenario = await startScenario([await loadWranglerToml(file, { onWarning: () => {} })]);
    try {
      return await (await scenario.fetch("w", new Request("http://w/"))).json();
    } finally {
      await scenario.dispose();
    }
  }

  it("loads the defaults: text as strings, .bin as an ArrayBuffer, .wasm as a compiled module, from a TypeScript main", async () => {
    const file = project("", {
      "src/index.ts": `import page from "./page.html"; import note from "./note.txt"; import query from "./q.sql"; import bytes from "./b.bin"; import wasm from "./add.wasm";
        export default { fetch(): Response {
          const { add } = new WebAssembly.Instance(wasm).exports as { add(a: number, b: number): number };
          return Response.json({ page, note, query, bin: [bytes instanceof ArrayBuffer, [...new Uint8Array(bytes)]], wasm: [wasm instanceof WebAssembly.Module, add(2, 3)] });
        } };`,
      "src/page.html": "<p>hi</p>",
      "src/note.txt": "note ✓",
      "src/q.sql": "SELECT 1;",
      "src/b.bin": Buffer.from([0, 255, 7]),
      "src/add.wasm": ADD_WASM,
    });
    expect(await answer(file)).to.deep.equal({ page: "<p>hi</p>", note: "note ✓", query: "SELECT 1;", bin: [true, [0, 255, 7]], wasm: [true, 5] });
  });

  it("takes `x.wasm?module` as the compiled module of x.wasm, as wrangler does", async () => {
    const file = project("", {
      "src/index.ts": `import wasm from "./lib/add.wasm?module"; export default { fetch() { const { add } = new WebAssembly.Instance(wasm).exports as { add(a: number, b: number): number }; return Response.json(add(40, 2)); } };`,
      "src/lib/add.wasm": ADD_WASM,
    });
    expect(await answer(file)).to.equal(42);
  });

  it("applies [[rules]]: a Data rule for .txt replaces the Text default for .txt only when it does not fall through", async () => {
    const file = project('[[rules]]\ntype = "Data"\nglobs = ["**/*.txt"]\n', {
      "src/index.ts": `import note from "./note.txt"; export default { fetch() { return Response.json({ isBuffer: note instanceof ArrayBuffer, size: note.byteLength }); } };`,
      "src/note.txt": "abc",
    });
    expect(await answer(file)).to.deep.equal({ isBuffer: true, size: 3 });
  });

  it("a Text rule without fallthrough drops the default Text globs, and the build error says so", async () => {
    const file = project('[[rules]]\ntype = "Text"\nglobs = ["**/*.md"]\n', {
      "src/index.ts": `import page from "./page.html"; export default { fetch() { return new Response(page); } };`,
      "src/page.html": "<p>hi</p>",
    });
    const error = await loadWranglerToml(file, { onWarning: () => {} }).then(() => undefined, (e: Error) => e);
    expect(error?.message, error?.message).to.match(/wrangler\.toml:2: main: does not build: .*page\.html.*default module rule \{"type":"Text".*without `fallthrough = true` replaced/);
  });

  it("refuses an unknown rule type, naming file, line and key", async () => {
    const file = project('\n[[rules]]\ntype = "Python"\nglobs = ["**/*.py"]\n', { "src/index.ts": "export default {};" });
    const error = await loadWranglerToml(file, { onWarning: () => {} }).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal(`${file}:6: rules[0].type: expected one of ESModule, CommonJS, Text, Data, CompiledWasm, got "Python"`);
  });
});
