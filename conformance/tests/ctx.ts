/** Conformance tests for spec/ctx.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest, labelled } from "../engine/define.ts";
import { checkFailure } from "../engine/checks.ts";
import { normalise } from "../diff/normalisations.ts";
import type { CaseScenario } from "../engine/scenario.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { configJsonValue, jsonLikeValue } from "../arbitraries/values.ts";
import { calleeWorker, callerAndCallee, code, expectValue, ident, js, json, lines, type Observed, type Source, value } from "./support.ts";

defineTest({
  id: "ctx/present",
  title: "this.ctx is an object with a waitUntil function",
  requirements: ["CTX-PRESENT"],
  arbitrary: fc.record({ cls: className, method: memberName }),
  scenario: ({ cls, method }) =>
    callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { return { type: typeof this.ctx, isNull: this.ctx === null, waitUntil: typeof this.ctx?.waitUntil }; }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}]()));`,
    }),
  check(_c, observed: Observed<{ type: string; isNull: boolean; waitUntil: string }>) {
    expect(expectValue(observed, "call")).to.deep.equal({ type: "object", isNull: false, waitUntil: "function" });
  },
});

/** What `pollingScenario`'s probe responds: the first call's outcome, and the last `finished()` it read. */
interface Polled<Started, Finished> {
  started: Observed<Started>;
  last: Observed<Finished>;
}

defineTest({
  id: "ctx/wait-until",
  title: "work passed to ctx.waitUntil keeps running after the method has returned",
  requirements: ["CTX-WAITUNTIL"],
  arbitrary: fc.record({ cls: className, delays: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }), value: jsonLikeValue }),
  numRuns: 50,
  scenario({ cls, delays, value: result }) {
    const source = js`const finished = [];
export class ${ident(cls)} extends WorkerEntrypoint {
  start(delays) {
    delays.forEach((delay, i) => this.ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => { finished.push(i); })));
    return "returned";
  }
  finished() { return { finished, value: finished.length === ${delays.length} ? ${value(result)} : null }; }
}`;
    return pollingScenario(source, cls, js`env.S.start(${json(delays)})`, delays.length);
  },
  check({ delays, value }, observed: Polled<string, { finished: number[]; value: unknown }>) {
    expect(expectValue(observed.started, "start()"), "the method returned").to.equal("returned");
    const last = expectValue(observed.last, "finished()");
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
  scenario: ({ cls, method, first, second }) =>
    callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { return this.ctx.props; }\n}`,
      binding: null,
      probeServices: [
        { binding: "A", service: "callee", entrypoint: cls, props: first },
        { binding: "B", service: "callee", entrypoint: cls, props: second },
        { binding: "C", service: "callee", entrypoint: cls },
      ],
      probe: js`return respond({
             first: await observe(() => env.A[${method}]()),
             second: await observe(() => env.B[${method}]()),
             none: await observe(() => env.C[${method}]()),
             firstAgain: await observe(() => env.A[${method}]()),
           });`,
    }),
  check({ first, second }, observed: Record<"first" | "second" | "none" | "firstAgain", Observed>) {
    expect(expectValue(observed.first, "ctx.props through binding A")).to.deep.equal(first);
    expect(expectValue(observed.second, "ctx.props through binding B (same entrypoint, other props)")).to.deep.equal(second);
    expect(expectValue(observed.none, "ctx.props through a binding without props")).to.deep.equal({});
    expect(expectValue(observed.firstAgain, "ctx.props through binding A, again")).to.deep.equal(first);
  },
});

defineTest({
  id: "ctx/per-call",
  title: "each call gets its own ctx: what one call stores on ctx the next does not see; passThroughOnException is a function",
  requirements: ["CTX-PER-CALL", "CTX-PASSTHROUGH"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 2, 2), key: memberName.map((k) => `mark_${k}`), value: jsonLikeValue, calls: fc.integer({ min: 2, max: 4 }) }),
  scenario({ cls, names: [mark, pass], key, value: stored, calls }) {
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${mark!}]() {
    const before = Object.hasOwn(this.ctx, ${key});
    this.ctx[${key}] = ${value(stored)};
    return before;
  }
  [${pass!}]() { return typeof this.ctx.passThroughOnException; }
}`;
    const sequence = lines(
      Array.from({ length: calls }, () => js`await observe(() => env.S[${mark!}]())`),
      ", ",
    );
    return callerAndCallee({ callee, entrypoint: cls, probe: js`return respond({ seen: [${sequence}], pass: await observe(() => env.S[${pass!}]()) });` });
  },
  check({ key, calls }, observed: { seen: Observed<boolean>[]; pass: Observed<string> }) {
    expect(observed.seen.map((r, i) => expectValue(r, `call ${i + 1}`)), `ctx.${key}: a ctx property left by an earlier call`).to.deep.equal(Array(calls).fill(false));
    expect(expectValue(observed.pass, "typeof this.ctx.passThroughOnException")).to.equal("function");
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
  scenario({ cls, tasks, value: result }) {
    const callee = js`const finished = [];
export class ${ident(cls)} extends WorkerEntrypoint {
  start(tasks) {
    tasks.forEach(({ delay, rejects }, i) => this.ctx.waitUntil(new Promise((resolve, reject) => setTimeout(() => {
      if (rejects) reject(new Error("task " + i + " failed"));
      else { finished.push(i); resolve(); }
    }, delay))));
    return ${value(result)};
  }
  finished() { return finished; }
}`;
    const expected = tasks.filter((t) => !t.rejects).length;
    return callerAndCallee({
      callee,
      entrypoint: cls,
      probe: js`const started = await observe(() => env.S.start(${json(tasks)}));
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
    });
  },
  check({ tasks, value }, observed: Polled<unknown, number[]>) {
    expect(expectValue(observed.started, "start()"), "the call's result, despite rejecting waitUntil promises").to.deep.equal(value);
    const finished = expectValue(observed.last, "finished()");
    const expected = tasks.flatMap((t, i) => (t.rejects ? [] : [i]));
    expect([...finished].sort((a, b) => a - b), "waitUntil tasks that completed").to.deep.equal(expected);
  },
});

defineTest({
  id: "ctx/exports",
  title: "ctx.exports holds loopback bindings to the worker's own entrypoints (current); absent under 2024-04-03",
  requirements: ["CTX-EXPORTS"],
  arbitrary: fc.record({ classes: distinct(className, 2, 2), names: distinct(memberName, 2, 2), value: jsonLikeValue }),
  scenario({ classes: [entry, other], names: [via, target], value: argument }) {
    const callee = js`export class ${ident(other!)} extends WorkerEntrypoint {
  [${target!}](x) { return { x, props: this.ctx.props, who: ${other!} }; }
}
export class ${ident(entry!)} extends WorkerEntrypoint {
  async [${via!}]() {
    const present = "exports" in this.ctx;
    if (!present) return { present, type: typeof this.ctx.exports };
    return { present, names: Object.keys(this.ctx.exports).sort(), result: await this.ctx.exports[${other!}][${target!}](${value(argument)}) };
  }
}`;
    return callerAndCallee({ callee, entrypoint: entry, probe: js`return respond(await observe(() => env.S[${via!}]()));` });
  },
  check({ classes: [entry, other], value }, observed: Observed<{ present: boolean; type?: string; names?: string[]; result?: unknown }>, profile) {
    const seen = expectValue(observed, "a method using this.ctx.exports");
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
    const callee = js`export class ${ident(other!)} extends WorkerEntrypoint {
  [${target!}]() { return { props: this.ctx.props, who: ${other!} }; }
}
export default class extends WorkerEntrypoint {
  [${target!}]() { return { props: this.ctx.props, who: "default" }; }
}
export class ${ident(entry!)} extends WorkerEntrypoint {
  async [${via!}]() {
    if (!("exports" in this.ctx)) return { present: false };
    const x = this.ctx.exports[${key}];
    const g = (f) => { try { return f(); } catch (e) { return { threw: e instanceof TypeError ? "TypeError" : String(e), message: e.message }; } };
    const chain = [];
    for (let p = Object.getPrototypeOf(x); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.push(Reflect.ownKeys(p).filter((k) => typeof k === "string").sort());
    const withProps = x({ props: ${value(props)} });
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
      withProps: { typeof: typeof withProps, callable: typeof withProps === "function", result: await withProps[${target!}]() },
      plain: await x[${target!}](),
    };
  }
}`;
    return callerAndCallee({ callee, entrypoint: entry, probe: js`return respond(await observe(() => env.S[${via!}]()));` });
  },
  check({ classes: [, other], props, useDefault }, observed: Observed<unknown>, profile) {
    const seen = expectValue(observed, "a method looking at this.ctx.exports");
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
  scenario({ cls, method, delays, value: result }) {
    const source = js`import { waitUntil } from "cloudflare:workers";
const finished = [];
export class ${ident(cls)} extends WorkerEntrypoint {
  [${method}](delays) {
    delays.forEach((delay, i) => waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => { finished.push(i); })));
    return { returned: true, finishedAtReturn: finished.length };
  }
  finished() { return { finished, value: finished.length === ${delays.length} ? ${value(result)} : null }; }
}`;
    return pollingScenario(source, cls, js`env.S[${method}](${json(delays)})`, delays.length);
  },
  check({ delays, value }, observed: Polled<{ returned: boolean; finishedAtReturn: number }, { finished: number[]; value: unknown }>) {
    expect(expectValue(observed.started, "the method calling waitUntil"), "the method returned before its work finished").to.deep.equal({ returned: true, finishedAtReturn: 0 });
    const last = expectValue(observed.last, "finished()");
    expect([...last.finished].sort(), "work passed to the imported waitUntil that completed after the call returned").to.deep.equal(delays.map((_, i) => i));
    expect(last.value).to.deep.equal(value);
  },
});

defineTest({
  id: "ctx/wait-until-top-level",
  title: "waitUntil imported from cloudflare:workers throws an Error at module top level; the worker still serves calls",
  requirements: ["CTX-WAITUNTIL-TOP-LEVEL"],
  arbitrary: fc.record({ cls: className, method: memberName, value: jsonLikeValue }),
  scenario({ cls, method, value: result }) {
    const callee = js`import { waitUntil } from "cloudflare:workers";
let atTopLevel;
try {
  waitUntil(Promise.resolve(${value(result)}));
  atTopLevel = { threw: false };
} catch (error) {
  atTopLevel = { threw: true, isError: error instanceof Error, name: error?.name, className: error?.constructor?.name };
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${method}]() { return { atTopLevel, value: ${value(result)} }; }
}`;
    return callerAndCallee({ callee, entrypoint: cls, probe: js`return respond(await observe(() => env.S[${method}]()));` });
  },
  check({ value }, observed: Observed<{ atTopLevel: unknown; value: unknown }>) {
    const seen = expectValue(observed, "a call after the top-level waitUntil");
    expect(seen.atTopLevel, "what waitUntil did at module top level").to.deep.equal({ threw: true, isError: true, name: "Error", className: "Error" });
    expect(seen.value, "the method's result").to.deep.equal(value);
  },
});

/**
 * The callee (`source`, exporting `cls`), and a probe that makes `startCall` and then polls
 * `finished()` until all `count` pieces of waitUntil work are done. It gives up after about 1 s
 * (the work takes at most 30 ms), so a runtime that dropped the work fails instead of hanging.
 * The probe responds with a `Polled`.
 */
function pollingScenario(source: Source, cls: string, startCall: Source, count: number): CaseScenario {
  return callerAndCallee({
    callee: source,
    entrypoint: cls,
    probe: js`const started = await observe(() => ${startCall});
         let last;
         for (let i = 0; i < 50; i++) {
           last = await observe(() => env.S.finished());
           if (!last.ok || last.value.finished.length === ${count}) break;
           await new Promise((resolve) => setTimeout(resolve, 20));
         }
         return respond({ started, last });`,
  });
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
    // The margin is wide: a host pause longer than it between setting the two timers (a collection,
    // other work sharing the process) makes the waitUntil timer fall due first, on workerd too.
    const wait = waitUntil === "none" ? code("") : js`this.ctx.waitUntil(new Promise((r) => setTimeout(r, ${waitUntil === "longer" ? delay + 400 : 0})));`;
    const after = waitUntil === "shorter" ? delay + 60 : delay;
    const timer = {
      timeout: js`setTimeout(() => log.push("timer"), ${after});`,
      interval: js`const id = setInterval(() => { log.push("timer"); clearInterval(id); }, ${after});`,
      nested: js`Promise.resolve().then(() => { log.push("micro"); setTimeout(() => log.push("timer"), ${after}); });`,
      finally: js`Promise.reject(new Error("x")).finally(() => { log.push("micro"); setTimeout(() => log.push("timer"), ${after}); }).catch(() => {});`,
      await: js`(async () => { await null; log.push("micro"); setTimeout(() => log.push("timer"), ${after}); })();`,
    }[kind];
    // A timer set after an await while another call entered the worker is not tested (spec note).
    const concurrent = busy && kind !== "await";
    const callee = js`const log = [];
export class ${ident(cls)} extends WorkerEntrypoint {
  [${start!}]() { log.push("start"); ${wait} ${timer} return "started"; }
  async [${hold!}](ms) { await new Promise((r) => setTimeout(r, ms)); return "held"; }
  [${read!}]() { return log.slice(); }
}`;
    const body = js`
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      ${concurrent ? js`const busy = env.S[${hold!}](${delay + 250});` : code("")}
      const started = await env.S[${start!}]();
      await sleep(${delay + 250});
      ${code(concurrent ? "await busy;" : "")}
      return respond({ started, log: await env.S[${read!}]() });`;
    return callerAndCallee({ callee, entrypoint: cls, probe: body });
  },
  check({ kind, waitUntil }, observed: { started: string; log: string[] }) {
    const ran = waitUntil === "longer";
    const log = ["start", ...(kind === "nested" || kind === "finally" || kind === "await" ? ["micro"] : []), ...(ran ? ["timer"] : [])];
    expect(observed, `a ${kind} timer left by the call, waitUntil ${waitUntil}: ${ran ? "it runs while waitUntil work keeps the call alive" : "it never runs"}`).to.deep.equal({ started: "started", log });
  },
});

/** The message of workerd's error for a call it cancelled as hung (CTX-HUNG-CANCELLED). */
const HUNG_MESSAGE =
  "The Workers runtime canceled this request because it detected that your Worker's code had hung and would never generate a response. Refer to: https://developers.cloudflare.com/workers/observability/errors/";

/** How long the probe waits for a call that should be cancelled before it reports it still pending. */
const HUNG_GIVE_UP_MS = 3000;

/**
 * What the method of `ctx/hung-cancelled` does (its body, given the delay, the name of the third
 * worker's method), and what its log holds once the call has settled: the work it
 * left pending, which must be done before the call is cancelled (the "settles…" kinds resolve instead).
 */
interface HungKindSpec {
  async: boolean;
  body(delay: number, slow: string): Source;
  log: string[];
}
const HUNG_KINDS = {
  never: { async: false, body: () => js`log.push("start"); return new Promise(() => {});`, log: ["start"] },
  neverAsync: { async: true, body: () => js`log.push("start"); await new Promise(() => {});`, log: ["start"] },
  afterTimer: {
    async: false,
    body: (delay) => js`log.push("start"); setTimeout(() => log.push("timer"), ${delay}); return new Promise(() => {});`,
    log: ["start", "timer"],
  },
  afterWaitUntil: {
    async: false,
    body: (delay) => js`log.push("start"); this.ctx.waitUntil(new Promise((r) => setTimeout(r, ${delay})).then(() => { log.push("waitUntil"); })); return new Promise(() => {});`,
    log: ["start", "waitUntil"],
  },
  afterOutgoing: {
    async: false,
    body: (delay, slow) => js`log.push("start"); return this.env.D[${slow}](${delay}).then((v) => { log.push(v); return new Promise(() => {}); });`,
    log: ["start", "answered"],
  },
  settlesAfterTimer: {
    async: true,
    body: (delay) => js`log.push("start"); await new Promise((r) => setTimeout(r, ${delay})); log.push("timer"); return "settled";`,
    log: ["start", "timer"],
  },
  settlesAfterOutgoing: {
    async: true,
    body: (delay, slow) => js`log.push("start"); log.push(await this.env.D[${slow}](${delay})); return "settled";`,
    log: ["start", "answered"],
  },
} satisfies Record<string, HungKindSpec>;
type HungKind = keyof typeof HUNG_KINDS;

/** What the probe of `ctx/hung-cancelled` responds. */
type HungObserved =
  | { pending: true; log: string[] }
  | { ok: true; value: unknown; log: string[] }
  | { ok: false; sync: boolean; error: string; own: string; log: string[] };

defineTest({
  id: "ctx/hung-cancelled",
  title: "a call whose result can never settle is cancelled, once the timers, waitUntil work and outgoing calls it left are done, with the caller's own plain Error; a call that settles late resolves",
  requirements: ["CTX-HUNG-CANCELLED", "ERR-RUNTIME-REALM"],
  arbitrary: fc.record({
    classes: distinct(className, 2, 2),
    names: distinct(memberName, 3, 3),
    kind: fc.constantFrom(...(Object.keys(HUNG_KINDS) as HungKind[])),
    delay: fc.constantFrom(0, 1, 5, 20, 50),
  }),
  numRuns: 40,
  scenario({ classes: [cls, other], names: [method, read, slow], kind, delay }) {
    const k: HungKindSpec = HUNG_KINDS[kind];
    const callee = js`const log = [];
export class ${ident(cls!)} extends WorkerEntrypoint {
  ${code(k.async ? "async " : "")}[${method!}]() { ${k.body(delay, slow!)} }
  [${read!}]() { return log.slice(); }
}`;
    const outgoing = kind === "afterOutgoing" || kind === "settlesAfterOutgoing";
    // The caller races the call against its own deadline, so a runtime that never cancels fails
    // here instead of hanging; the error is observed whole (harness observeDeep) next to the
    // Error the caller itself makes with the expected message (ERR-RUNTIME-REALM).
    const probe = js`let timer;
      const giveUp = new Promise((r) => { timer = setTimeout(() => r({ pending: true }), ${HUNG_GIVE_UP_MS}); });
      const r = await Promise.race([observe(() => env.S[${method!}]()), giveUp]);
      clearTimeout(timer);
      const log = await env.S[${read!}]();
      if (r.pending) return respond({ pending: true, log });
      if (r.ok) return respond({ ok: true, value: r.value, log });
      return respond({ ok: false, sync: r.sync === true, error: JSON.stringify(observeDeep(r.error)), own: JSON.stringify(observeDeep(new Error(${HUNG_MESSAGE}))), log });`;
    return callerAndCallee({
      callee,
      entrypoint: cls,
      probe,
      ...(outgoing
        ? {
            calleeServices: [{ binding: "D", service: "other", entrypoint: other! }],
            workers: [calleeWorker("other", js`export class ${ident(other!)} extends WorkerEntrypoint {\n  [${slow!}](ms) { return new Promise((r) => setTimeout(() => r("answered"), ms)); }\n}`)],
          }
        : {}),
    });
  },
  check({ kind, delay }, o: HungObserved) {
    const what = `a ${kind} call (delay ${delay} ms)`;
    const log = [...HUNG_KINDS[kind].log];
    const settles = kind.startsWith("settles");
    const hung = ["CTX-HUNG-CANCELLED"];
    if ("pending" in o) {
      const never = settles ? "the call never settled" : "the call was never cancelled";
      throw checkFailure(never, `${what}: still pending after ${HUNG_GIVE_UP_MS / 1000} s: ${never}`, hung);
    }
    if (settles) {
      labelled("a call that settles late resolves with its result", hung, () =>
        expect(o, `${what}: it resolves with its result once what it awaited has come`).to.deep.equal({ ok: true, value: "settled", log }),
      );
      return;
    }
    if (o.ok) throw checkFailure("the call was cancelled", `${what}: expected the call to be cancelled, but it resolved with ${JSON.stringify(o.value)}`, hung);
    labelled("the cancellation rejects the call's promise", hung, () => expect(o.sync, `${what}: the cancellation rejects the call's promise (not thrown synchronously)`).to.equal(false));
    // Stack frames and how `stack` is defined are incidental (spec/incidental.md), as in the diff engine.
    const [error, own] = [o.error, o.own].map((text) => normalise(JSON.parse(text)));
    labelled("the cancellation error, observed whole, is the caller's own new Error(message)", ["CTX-HUNG-CANCELLED", "ERR-RUNTIME-REALM"], () =>
      expect(error, `${what}: the rejection (deep observation) against the caller's own new Error(message)`).to.deep.equal(own),
    );
    labelled("the work the call left pending ran before it was cancelled", hung, () =>
      expect(o.log, `${what}: the callee's log read right after the rejection: the work the call left pending ran before it was cancelled`).to.deep.equal(log),
    );
  },
});
