/** Conformance tests for spec/ctx.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { probeWorker, type CaseScenario } from "../engine/scenario.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { configJsonValue, jsonLikeValue } from "../arbitraries/values.ts";
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
    return pollingScenario(source, cls, `env.S.start(${JSON.stringify(delays)})`, delays.length);
  },
  check({ delays, value }, observed) {
    const o = observed as { started: unknown; last: unknown };
    expect(expectValue(o.started, "start()"), "the method returned").to.equal("returned");
    const last = expectValue(o.last, "finished()") as { finished: number[]; value: unknown };
    expect([...last.finished].sort(), "waitUntil promises that completed after the call returned").to.deep.equal(delays.map((_, i) => i));
    expect(last.value).to.deep.equal(value);
  },
});

/** Props as wrangler writes them: a table of JSON values. */
const propsTable = fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/), configJsonValue, { maxKeys: 4, noNullPrototype: true });

defineTest({
  id: "ctx/props",
  title: "ctx.props is the props of the binding the call came through ({} without)",
  requirements: ["CTX-PROPS"],
  arbitrary: fc.record({ cls: className, method: memberName, first: propsTable, second: propsTable }),
  numRuns: 40,
  scenario({ cls, method, first, second }) {
    return {
      workers: [
        { name: "callee", modules: calleeModules(`export class ${cls} extends WorkerEntrypoint {\n  [${lit(method)}]() { return this.ctx.props; }\n}`) },
        probeWorker(
          "probe",
          `return respond({
             first: await observe(() => env.A[${lit(method)}]()),
             second: await observe(() => env.B[${lit(method)}]()),
             none: await observe(() => env.C[${lit(method)}]()),
             firstAgain: await observe(() => env.A[${lit(method)}]()),
           });`,
          {
            services: [
              { binding: "A", service: "callee", entrypoint: cls, props: first },
              { binding: "B", service: "callee", entrypoint: cls, props: second },
              { binding: "C", service: "callee", entrypoint: cls },
            ],
          },
        ),
      ],
      probe: "probe",
    };
  },
  check({ first, second }, observed) {
    const o = observed as Record<string, unknown>;
    expect(expectValue(o.first, "ctx.props through binding A")).to.deep.equal(first);
    expect(expectValue(o.second, "ctx.props through binding B (same entrypoint, other props)")).to.deep.equal(second);
    expect(expectValue(o.none, "ctx.props through a binding without props")).to.deep.equal({});
    expect(expectValue(o.firstAgain, "ctx.props through binding A, again")).to.deep.equal(first);
  },
});

defineTest({
  id: "ctx/per-call",
  title: "each call gets its own ctx: what one call stores on ctx the next does not see; passThroughOnException is a function",
  requirements: ["CTX-PER-CALL", "CTX-PASSTHROUGH"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 2, 2), key: memberName.map((k) => `mark_${k}`), value: jsonLikeValue, calls: fc.integer({ min: 2, max: 4 }) }),
  scenario({ cls, names: [mark, pass], key, value, calls }) {
    const source = `export class ${cls} extends WorkerEntrypoint {
  [${lit(mark!)}]() {
    const before = Object.hasOwn(this.ctx, ${lit(key)});
    this.ctx[${lit(key)}] = ${valueExpr(value)};
    return before;
  }
  [${lit(pass!)}]() { return typeof this.ctx.passThroughOnException; }
}`;
    const sequence = Array.from({ length: calls }, () => `await observe(() => env.S[${lit(mark!)}]())`).join(", ");
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `return respond({ seen: [${sequence}], pass: await observe(() => env.S[${lit(pass!)}]()) });`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ key, calls }, observed) {
    const o = observed as { seen: unknown[]; pass: unknown };
    expect(o.seen.map((r, i) => expectValue(r, `call ${i + 1}`)), `ctx.${key}: a ctx property left by an earlier call`).to.deep.equal(Array(calls).fill(false));
    expect(expectValue(o.pass, "typeof this.ctx.passThroughOnException")).to.equal("function");
  },
});

defineTest({
  id: "ctx/wait-until-independent",
  title: "a rejecting waitUntil promise does not cancel the others",
  requirements: ["CTX-WAITUNTIL-INDEPENDENT"],
  arbitrary: fc.record({
    cls: className,
    tasks: fc.array(fc.record({ delay: fc.integer({ min: 0, max: 30 }), rejects: fc.boolean() }), { minLength: 2, maxLength: 5 }).filter((t) => t.some((x) => x.rejects) && t.some((x) => !x.rejects)),
    value: jsonLikeValue,
  }),
  numRuns: 40,
  scenario({ cls, tasks, value }) {
    const source = `const finished = [];
export class ${cls} extends WorkerEntrypoint {
  start(tasks) {
    tasks.forEach(({ delay, rejects }, i) => this.ctx.waitUntil(new Promise((resolve, reject) => setTimeout(() => {
      if (rejects) reject(new Error("task " + i + " failed"));
      else { finished.push(i); resolve(); }
    }, delay))));
    return ${valueExpr(value)};
  }
  finished() { return finished; }
}`;
    const expected = tasks.filter((t) => !t.rejects).length;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker(
          "probe",
          `const started = await observe(() => env.S.start(${JSON.stringify(tasks)}));
           // Poll for the tasks that resolve; give up after about 1 s (every delay is at most 30 ms).
           let last;
           for (let i = 0; i < 50; i++) {
             last = await observe(() => env.S.finished());
             if (!last.ok || last.value.length === ${expected}) break;
             await new Promise((resolve) => setTimeout(resolve, 20));
           }
           // Give a runtime that cancels late work time to show it, then read once more.
           await new Promise((resolve) => setTimeout(resolve, 40));
           return respond({ started, last: await observe(() => env.S.finished()) });`,
          { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
        ),
      ],
      probe: "probe",
    };
  },
  check({ tasks, value }, observed) {
    const o = observed as { started: unknown; last: unknown };
    expect(expectValue(o.started, "start()"), "the call's result, despite rejecting waitUntil promises").to.deep.equal(value);
    const finished = expectValue(o.last, "finished()") as number[];
    const expected = tasks.flatMap((t, i) => (t.rejects ? [] : [i]));
    expect([...finished].sort((a, b) => a - b), "waitUntil tasks that completed").to.deep.equal(expected);
  },
});

defineTest({
  id: "ctx/exports",
  title: "ctx.exports holds loopback bindings to the worker's own entrypoints (current); absent under 2024-04-03",
  requirements: ["CTX-EXPORTS"],
  arbitrary: fc.record({ classes: distinct(className, 2, 2), names: distinct(memberName, 2, 2), value: jsonLikeValue }),
  scenario({ classes: [entry, other], names: [via, target], value }) {
    const source = `export class ${other} extends WorkerEntrypoint {
  [${lit(target!)}](x) { return { x, props: this.ctx.props, who: ${lit(other!)} }; }
}
export class ${entry} extends WorkerEntrypoint {
  async [${lit(via!)}]() {
    const present = "exports" in this.ctx;
    if (!present) return { present, type: typeof this.ctx.exports };
    return { present, names: Object.keys(this.ctx.exports).sort(), result: await this.ctx.exports[${lit(other!)}][${lit(target!)}](${valueExpr(value)}) };
  }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(via!)}]()));`, { services: [{ binding: "S", service: "callee", entrypoint: entry }] }),
      ],
      probe: "probe",
    };
  },
  check({ classes: [entry, other], value }, observed, profile) {
    const seen = expectValue(observed, "a method using this.ctx.exports") as Record<string, unknown>;
    if (profile.name === "2024-04-03") {
      expect(seen, "ctx.exports without enable_ctx_exports").to.deep.equal({ present: false, type: "undefined" });
      return;
    }
    expect(seen.present, '"exports" in this.ctx').to.equal(true);
    expect(seen.names, "Object.keys(ctx.exports): the worker's entrypoints").to.include.members([entry, other]);
    expect(seen.result, `ctx.exports.${other}.m(value): a call through ctx.exports to another entrypoint`).to.deep.equal({ x: value, props: {}, who: other });
  },
});

defineTest({
  id: "ctx/exports-loopback",
  title: "ctx.exports.X is a callable loopback binding (current): typeof function, a class under a class holding fetch/connect, JSON undefined; ctx.exports.X({ props }) is a binding whose calls see those props, ctx.exports.X() throws TypeError",
  requirements: ["CTX-EXPORTS"],
  arbitrary: fc.record({ classes: distinct(className, 2, 2), names: distinct(memberName, 2, 2), props: configJsonValue.filter((v) => typeof v === "object" && v !== null && !Array.isArray(v)), useDefault: fc.boolean() }),
  scenario({ classes: [entry, other], names: [via, target], props, useDefault }) {
    const key = useDefault ? "default" : other!;
    const source = `export class ${other} extends WorkerEntrypoint {
  [${lit(target!)}]() { return { props: this.ctx.props, who: ${lit(other!)} }; }
}
export default class extends WorkerEntrypoint {
  [${lit(target!)}]() { return { props: this.ctx.props, who: "default" }; }
}
export class ${entry} extends WorkerEntrypoint {
  async [${lit(via!)}]() {
    if (!("exports" in this.ctx)) return { present: false };
    const x = this.ctx.exports[${lit(key)}];
    const g = (f) => { try { return f(); } catch (e) { return { threw: e instanceof TypeError ? "TypeError" : String(e), message: e.message }; } };
    const chain = [];
    for (let p = Object.getPrototypeOf(x); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.push(Reflect.ownKeys(p).filter((k) => typeof k === "string").sort());
    const withProps = x({ props: ${valueExpr(props)} });
    return {
      present: true,
      typeof: typeof x,
      ownKeys: Reflect.ownKeys(x).length,
      chain,
      instanceofFunction: x instanceof Function,
      sharedFetch: x.fetch === Object.getPrototypeOf(Object.getPrototypeOf(x)).fetch,
      json: g(() => JSON.stringify(x)),
      members: [typeof x.then, typeof x[Symbol.dispose], typeof x.dup, typeof x.fetch, typeof x.connect],
      callNoOptions: g(() => x()),
      withProps: { typeof: typeof withProps, callable: typeof withProps === "function", result: await withProps[${lit(target!)}]() },
      plain: await x[${lit(target!)}](),
    };
  }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(via!)}]()));`, { services: [{ binding: "S", service: "callee", entrypoint: entry }] }),
      ],
      probe: "probe",
    };
  },
  check({ classes: [, other], props, useDefault }, observed, profile) {
    const seen = expectValue(observed, "a method looking at this.ctx.exports") as Record<string, unknown>;
    if (profile.name === "2024-04-03") {
      expect(seen, "ctx.exports without enable_ctx_exports").to.deep.equal({ present: false });
      return;
    }
    const who = useDefault ? "default" : other;
    expect(seen, "a loopback binding in ctx.exports, and one made with props").to.deep.equal({
      present: true,
      typeof: "function",
      ownKeys: 0,
      chain: [["constructor"], ["connect", "constructor", "fetch"]],
      instanceofFunction: false,
      sharedFetch: true,
      json: undefined,
      members: ["undefined", "undefined", "function", "function", "function"],
      callNoOptions: { threw: "TypeError", message: "Failed to execute '(called as function)' on 'LoopbackServiceStub': parameter 1 is not of type 'Options'." },
      withProps: { typeof: "object", callable: false, result: { props, who } },
      plain: { props: {}, who },
    });
  },
});

defineTest({
  id: "ctx/wait-until-imported",
  title: "waitUntil imported from cloudflare:workers keeps work running after the method has returned",
  requirements: ["CTX-WAITUNTIL-IMPORTED"],
  arbitrary: fc.record({
    cls: className,
    method: memberName.filter((n) => n !== "finished"),
    delays: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }),
    value: jsonLikeValue,
  }),
  numRuns: 50,
  scenario({ cls, method, delays, value }) {
    const source = `import { waitUntil } from "cloudflare:workers";
const finished = [];
export class ${cls} extends WorkerEntrypoint {
  [${lit(method)}](delays) {
    delays.forEach((delay, i) => waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => { finished.push(i); })));
    return { returned: true, finishedAtReturn: finished.length };
  }
  finished() { return { finished, value: finished.length === ${delays.length} ? ${valueExpr(value)} : null }; }
}`;
    return pollingScenario(source, cls, `env.S[${lit(method)}](${JSON.stringify(delays)})`, delays.length);
  },
  check({ delays, value }, observed) {
    const o = observed as { started: unknown; last: unknown };
    expect(expectValue(o.started, "the method calling waitUntil"), "the method returned before its work finished").to.deep.equal({ returned: true, finishedAtReturn: 0 });
    const last = expectValue(o.last, "finished()") as { finished: number[]; value: unknown };
    expect([...last.finished].sort(), "work passed to the imported waitUntil that completed after the call returned").to.deep.equal(delays.map((_, i) => i));
    expect(last.value).to.deep.equal(value);
  },
});

defineTest({
  id: "ctx/wait-until-top-level",
  title: "waitUntil imported from cloudflare:workers throws an Error at module top level; the worker still serves calls",
  requirements: ["CTX-WAITUNTIL-TOP-LEVEL"],
  arbitrary: fc.record({ cls: className, method: memberName, value: jsonLikeValue }),
  scenario({ cls, method, value }) {
    const source = `import { waitUntil } from "cloudflare:workers";
let atTopLevel;
try {
  waitUntil(Promise.resolve(${valueExpr(value)}));
  atTopLevel = { threw: false };
} catch (error) {
  atTopLevel = { threw: true, isError: error instanceof Error, name: error?.name, className: error?.constructor?.name };
}
export class ${cls} extends WorkerEntrypoint {
  [${lit(method)}]() { return { atTopLevel, value: ${valueExpr(value)} }; }
}`;
    return {
      workers: [
        { name: "callee", modules: calleeModules(source) },
        probeWorker("probe", `return respond(await observe(() => env.S[${lit(method)}]()));`, {
          services: [{ binding: "S", service: "callee", entrypoint: cls }],
        }),
      ],
      probe: "probe",
    };
  },
  check({ value }, observed) {
    const seen = expectValue(observed, "a call after the top-level waitUntil") as { atTopLevel: unknown; value: unknown };
    expect(seen.atTopLevel, "what waitUntil did at module top level").to.deep.equal({ threw: true, isError: true, name: "Error", className: "Error" });
    expect(seen.value, "the method's result").to.deep.equal(value);
  },
});

/**
 * The callee, and a probe that makes `startCall` and then polls `finished()` until all `count`
 * pieces of waitUntil work are done. It gives up after about 1 s (the work takes at most 30 ms),
 * so a runtime that dropped the work fails instead of hanging.
 */
function pollingScenario(source: string, cls: string, startCall: string, count: number): CaseScenario {
  return {
    workers: [
      { name: "callee", modules: calleeModules(source) },
      probeWorker(
        "probe",
        `const started = await observe(() => ${startCall});
         let last;
         for (let i = 0; i < 50; i++) {
           last = await observe(() => env.S.finished());
           if (!last.ok || last.value.finished.length === ${count}) break;
           await new Promise((resolve) => setTimeout(resolve, 20));
         }
         return respond({ started, last });`,
        { services: [{ binding: "S", service: "callee", entrypoint: cls }] },
      ),
    ],
    probe: "probe",
  };
}

defineTest({
  id: "ctx/floating-cancelled",
  title: "timers a method call leaves running (not in waitUntil) never run once its plain result is delivered; waitUntil keeps them until it settles",
  requirements: ["CTX-FLOATING-CANCELLED", "CTX-WAITUNTIL"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 3, 3),
    delay: fc.constantFrom(0, 1, 5, 20),
    kind: fc.constantFrom("timeout", "interval", "nested", "finally", "await"),
    waitUntil: fc.constantFrom("none", "longer", "shorter"),
    busy: fc.boolean(),
  }),
  scenario({ cls, names: [start, read, hold], delay, kind, waitUntil, busy }) {
    // "longer": waitUntil work outlasting the timer keeps the call alive; "shorter": it ends first.
    const wait = waitUntil === "none" ? "" : `this.ctx.waitUntil(new Promise((r) => setTimeout(r, ${waitUntil === "longer" ? delay + 150 : 0})));`;
    const timer = {
      timeout: `setTimeout(() => log.push("timer"), ${waitUntil === "shorter" ? delay + 60 : delay});`,
      interval: `const id = setInterval(() => { log.push("timer"); clearInterval(id); }, ${waitUntil === "shorter" ? delay + 60 : delay});`,
      nested: `Promise.resolve().then(() => { log.push("micro"); setTimeout(() => log.push("timer"), ${waitUntil === "shorter" ? delay + 60 : delay}); });`,
      finally: `Promise.reject(new Error("x")).finally(() => { log.push("micro"); setTimeout(() => log.push("timer"), ${waitUntil === "shorter" ? delay + 60 : delay}); }).catch(() => {});`,
      await: `(async () => { await null; log.push("micro"); setTimeout(() => log.push("timer"), ${waitUntil === "shorter" ? delay + 60 : delay}); })();`,
    }[kind];
    // A timer set after an await while another call entered the worker is not tested (spec note).
    const concurrent = busy && kind !== "await";
    const callee = `const log = [];
export class ${cls} extends WorkerEntrypoint {
  [${lit(start!)}]() { log.push("start"); ${wait} ${timer} return "started"; }
  async [${lit(hold!)}](ms) { await new Promise((r) => setTimeout(r, ms)); return "held"; }
  [${lit(read!)}]() { return log.slice(); }
}`;
    const body = `
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      ${concurrent ? `const busy = env.S[${lit(hold!)}](${delay + 250});` : ""}
      const started = await env.S[${lit(start!)}]();
      await sleep(${delay + 250});
      ${concurrent ? "await busy;" : ""}
      return respond({ started, log: await env.S[${lit(read!)}]() });`;
    return {
      workers: [{ name: "callee", modules: calleeModules(callee) }, probeWorker("probe", body, { services: [{ binding: "S", service: "callee", entrypoint: cls }] })],
      probe: "probe",
    };
  },
  check({ kind, waitUntil }, observed) {
    const ran = waitUntil === "longer";
    const log = ["start", ...(kind === "nested" || kind === "finally" || kind === "await" ? ["micro"] : []), ...(ran ? ["timer"] : [])];
    expect(observed, `a ${kind} timer left by the call, waitUntil ${waitUntil}: ${ran ? "it runs while waitUntil work keeps the call alive" : "it never runs"}`).to.deep.equal({ started: "started", log });
  },
});
