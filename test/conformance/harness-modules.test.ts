/**
 * Callee workers carry only the parts of harness.js they import: the slim module is harness.js's
 * own code, and decodes exactly as the whole harness does.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { harnessFor } from "../../conformance/harness/modules.ts";
import { HARNESS_SOURCE } from "../../conformance/engine/scenario.ts";
import { encodeInput, input } from "../../conformance/harness/harness.js";
import { structuredValue } from "../../conformance/arbitraries/structured.ts";

async function load(source: string): Promise<Record<string, unknown>> {
  return import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
}

describe("slim harness modules for callees", () => {
  it("input() alone: a module much smaller than harness.js, exporting only input, decoding as the whole harness does", async () => {
    const slim = harnessFor(`import { WorkerEntrypoint } from "cloudflare:workers";\nimport { input } from "./harness.js";\nexport class A extends WorkerEntrypoint {}`);
    expect(slim.length).to.be.lessThan(HARNESS_SOURCE.length / 2);
    const module = await load(slim);
    expect(Object.keys(module)).to.deep.equal(["input"]);
    const slimInput = module.input as typeof input;
    fc.assert(
      fc.property(structuredValue, (value) => {
        const text = JSON.parse(encodeInput(value)) as string;
        expect(slimInput(text)).to.deep.equal(input(text));
      }),
      { numRuns: 200 },
    );
  });

  it("several imports give their union; a namespace import, the whole harness", async () => {
    const both = await load(harnessFor(`import { input } from "./harness.js";`, `import { observe as o } from './harness.js';`));
    expect(Object.keys(both).sort()).to.deep.equal(["input", "observe"]);
    expect(harnessFor(`import * as h from "./harness.js";`)).to.equal(HARNESS_SOURCE);
  });
});
