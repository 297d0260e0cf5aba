/** Conformance tests for spec/ctx.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../define.ts";
import { probeWorker } from "../scenario.ts";
import { className, memberName } from "../arbitraries/names.ts";
import { jsonLikeValue } from "../arbitraries/values.ts";
import { calleeModules, expectValue, lit, valueExpr } from "./support.ts";

defineTest({
  id: "ctx/present",
  title: "this.ctx is an object with a waitUntil function",
  requirements: ["CTX-PRESENT"],
  arbitrary: fc.record({ cls: className, method: memberName }),
  scenario({ cls, method }) {
    return {
      workers: [
        {
          name: "callee",
          modules: calleeModules(
            `export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}]() { return { type: typeof this.ctx, isNull: this.ctx === null, waitUntil: typeof this.ctx?.waitUntil }; }\n}`,
          ),
        },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(method)}]()));`, { services: [{ binding: "S", service: "callee", entrypoint: cls }] }),
      ],
      probe: "probe",
    };
  },
  check(_c, observed) {
    expect(expectValue(observed, "call")).to.deep.equal({ type: "object", isNull: false, waitUntil: "function" });
  },
});

defineTest({
  id: "ctx/wait-until",
  title: "work passed to ctx.waitUntil keeps running after the method has returned",
  requirements: ["CTX-WAITUNTIL"],
  arbitrary: fc.record({ cls: className, delays: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }), value: jsonLikeValue }),
  numRuns: 50,
  scenario({ cls, delays, value }) {
    const source = `const finished = [];
export class ${cls} extends WorkerEntrypoint {
  start(delays) {
    delays.forEach((delay, i) => this.ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => { finished.push(i); })));
    return "returned";
  }
  finished() { return { finished, value: finished.length === ${delays.length} ? ${valueExpr(value)} : null }; }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `const started = await observe(() => env.S.start(${JSON.stringify(delays)}));
           // Poll for the waitUntil work; give up after 2 s so a runtime that dropped it fails instead of hanging.
           let last;
           for (let i = 0; i < 100; i++) {
             last = await observe(() => env.S.finished());
             if (!last.ok || last.value.finished.length === ${delays.length}) break;
             await new Promise((resolve) => setTimeout(resolve, 20));
           }
           return respond({ started, last });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ delays, value }, observed) {
    const o = observed as { started: unknown; last: unknown };
    expect(expectValue(o.started, "start()"), "the method returned").to.equal("returned");
    const last = expectValue(o.last, "finished()") as { finished: number[]; value: unknown };
    expect([...last.finished].sort(), "waitUntil promises that completed after the call returned").to.deep.equal(delays.map((_, i) => i));
    expect(last.value).to.deep.equal(value);
  },
});
