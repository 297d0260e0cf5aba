/** Conformance tests for spec/calls.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { jsonLikeValue } from "../arbitraries/values.ts";
import { callerAndCallee, expectRpcError, type Observed, expectValue, ident, js, json, probeResult, value } from "./support.ts";
import { errorMessage } from "./stub-workers.ts";

const errorClass = fc.constantFrom("Error", "TypeError", "RangeError", "SyntaxError");

defineTest({
  id: "calls/thenable",
  title: "a call returns a thenable that is not a Promise; then/catch/finally behave as a Promise's",
  requirements: ["CALL-THENABLE-NOT-PROMISE"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 2, 2),
    result: jsonLikeValue,
    errorClass,
    message: errorMessage,
    fallback: jsonLikeValue,
  }),
  scenario({ cls, names: [ok, bad], result, errorClass, message, fallback }) {
    const callee = js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${ok!}]() { return ${value(result)}; }
  [${bad!}]() { throw new ${ident(errorClass)}(${message}); }
}`;
    const body = js`
      const ok = () => env.S[${ok!}](), bad = () => env.S[${bad!}]();
      const p = ok();
      const shape = { isPromise: p instanceof Promise, then: typeof p.then, catch: typeof p.catch, finally: typeof p.finally };
      const fallback = ${value(fallback)};
      const thenOk = await observe(() => p.then((v) => ({ fulfilled: v }), () => "rejected"));
      const thenBad = await observe(() => bad().then(() => "fulfilled", (e) => ({ rejected: e })));
      const catchOk = await observe(() => ok().catch(() => fallback));
      const catchBad = await observe(() => bad().catch(() => fallback));
      let runs = [];
      const finallyOk = await observe(() => ok().finally((...a) => { runs.push(a.length); return "ignored"; }));
      const finallyBad = await observe(() => bad().finally((...a) => { runs.push(a.length); return "ignored"; }));
      return respond({ shape, thenOk, thenBad, catchOk, catchBad, finallyOk, finallyBad, runs });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check(
    { result, errorClass, message, fallback },
    observed: { shape: unknown; thenOk: Observed; thenBad: Observed<{ rejected: Error }>; catchOk: Observed; catchBad: Observed; finallyOk: Observed; finallyBad: Observed; runs: number[] },
  ) {
    const o = probeResult(observed);
    expect(o.shape, "the call's return value").to.deep.equal({ isPromise: false, then: "function", catch: "function", finally: "function" });
    expect(expectValue(o.thenOk, "then on a call that succeeds"), "then(onFulfilled) gets the result").to.deep.equal({ fulfilled: result });
    const rejected = expectValue(o.thenBad, "then on a call that fails").rejected;
    expect(rejected, "then(_, onRejected) gets the error").to.be.an("error");
    expect([rejected.name, rejected.message], "the error then(_, onRejected) gets").to.deep.equal([errorClass, message]);
    expect(expectValue(o.catchOk, "catch on a call that succeeds"), "catch passes the result through").to.deep.equal(result);
    expect(expectValue(o.catchBad, "catch on a call that fails"), "catch turns the rejection into its handler's value").to.deep.equal(fallback);
    expect(expectValue(o.finallyOk, "finally on a call that succeeds"), "finally passes the result through").to.deep.equal(result);
    expectRpcError(o.finallyBad, "finally on a call that fails", errorClass, message);
    expect(o.runs, "finally ran its callback once per call, with no argument").to.deep.equal([0, 0]);
  },
});

defineTest({
  id: "calls/lazy-property",
  title: "reading a property sends nothing; each await of the same RPC property reads it again",
  requirements: ["CALL-LAZY-PROPERTY"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 2, 2), awaits: fc.integer({ min: 1, max: 4 }), base: fc.integer({ min: -100, max: 100 }) }),
  scenario({ cls, names: [prop, reads], awaits, base }) {
    const callee = js`let reads = 0;
export class ${ident(cls)} extends WorkerEntrypoint {
  get [${prop!}]() { reads++; return ${base} + reads; }
  [${reads!}]() { return reads; }
}`;
    const body = js`
      const p = env.S[${prop!}];
      await new Promise((resolve) => setTimeout(resolve, 20));
      const before = await env.S[${reads!}]();
      const values = [];
      for (let i = 0; i < ${awaits}; i++) values.push(await observe(() => p));
      const after = await env.S[${reads!}]();
      return respond({ before, values, after });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ awaits, base }, observed: { before: number; values: Observed[]; after: number }) {
    const o = probeResult(observed);
    expect(o.before, "getter runs after reading the property, before awaiting it").to.equal(0);
    const values = o.values.map((v, i) => expectValue(v, `await number ${i + 1}`));
    expect(values, "each await ran the getter again").to.deep.equal(Array.from({ length: awaits }, (_, i) => base + i + 1));
    expect(o.after, "getter runs in all").to.equal(awaits);
  },
});

defineTest({
  id: "calls/e-order",
  title: "calls made on one stub (or binding) without awaiting arrive in the order they were made",
  requirements: ["CALL-E-ORDER"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 4, 4),
    calls: fc.array(fc.record({ onStub: fc.boolean(), value: fc.integer({ min: 0, max: 1000 }) }), { minLength: 2, maxLength: 12 }),
  }),
  scenario({ cls, names: [make, push, log, entries], calls }) {
    const callee = js`const moduleLog = [];
class Log extends RpcTarget {
  #items = [];
  [${push!}](v) { this.#items.push(v); return this.#items.length; }
  [${entries!}]() { return this.#items; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return new Log(); }
  [${push!}](v) { moduleLog.push(v); return moduleLog.length; }
  [${log!}]() { return moduleLog; }
}`;
    const body = js`
      const stub = await env.S[${make!}]();
      const pending = [];
      for (const c of ${json(calls)}) pending.push((c.onStub ? stub : env.S)[${push!}](c.value));
      await Promise.all(pending);
      return respond({ stub: await stub[${entries!}](), binding: await env.S[${log!}]() });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ calls }, observed: { stub: number[]; binding: number[] }) {
    const o = probeResult(observed);
    expect(o.stub, "values in the order the stub's method ran").to.deep.equal(calls.filter((c) => c.onStub).map((c) => c.value));
    expect(o.binding, "values in the order the binding's calls ran").to.deep.equal(calls.filter((c) => !c.onStub).map((c) => c.value));
  },
});

defineTest({
  id: "calls/detached",
  title: "a method read off a binding or a stub can be called without its receiver",
  requirements: ["CALL-DETACHED"],
  arbitrary: fc.record({ cls: className, names: distinct(memberName, 2, 2), args: fc.array(jsonLikeValue, { maxLength: 3 }) }),
  scenario({ cls, names: [method, make], args }) {
    const callee = js`class Echo extends RpcTarget {
  [${method!}](...args) { return { from: "stub", args }; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${method!}](...args) { return { from: "binding", args }; }
  [${make!}]() { return new Echo(); }
}`;
    const body = js`
      const args = ${value(args)};
      const f = env.S[${method!}];
      const binding = await observe(() => f(...args));
      const stub = await env.S[${make!}]();
      const g = stub[${method!}];
      const onStub = await observe(() => g(...args));
      return respond({ binding, onStub });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ args }, observed: { binding: Observed; onStub: Observed }) {
    const o = probeResult(observed);
    expect(expectValue(o.binding, "a method read off the binding, called alone"), "its result").to.deep.equal({ from: "binding", args });
    expect(expectValue(o.onStub, "a method read off a stub, called alone"), "its result").to.deep.equal({ from: "stub", args });
  },
});

const DISPOSED_PROMISE = "RPC promise used after being disposed.";
const DISPOSED_STUB = "RPC stub used after being disposed.";

defineTest({
  id: "calls/promise-dispose",
  title: "disposing a call's thenable makes names pipelined on it reject and disposes the stubs in its result",
  requirements: ["CALL-PROMISE-DISPOSE"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 5, 5),
    data: jsonLikeValue,
    arg: jsonLikeValue,
    awaitFirst: fc.boolean(),
  }),
  scenario({ cls, names: [make, makeTarget, method, stubKey, dataKey], data, arg, awaitFirst }) {
    const callee = js`class Target extends RpcTarget {
  [${method!}](x) { return { echoed: x }; }
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${make!}]() { return { [${stubKey!}]: new Target(), [${dataKey!}]: ${value(data)} }; }
  [${makeTarget!}]() { return new Target(); }
}`;
    const body = js`
      const arg = ${value(arg)};
      const p = env.S[${make!}]();
      const q = env.S[${makeTarget!}]();
      ${awaitFirst ? js`await p; await q;` : js``}
      const kind = typeof p[Symbol.dispose];
      p[Symbol.dispose]();
      q[Symbol.dispose]();
      let again = "returned";
      try { p[Symbol.dispose](); } catch (e) { again = "threw"; }
      const pipeCall = await observe(() => p[${stubKey!}][${method!}](arg));
      const pipeRead = await observe(() => p[${dataKey!}]);
      const targetPipe = await observe(() => q[${method!}](arg));
      const result = await p;
      const stubUse = await observe(() => result[${stubKey!}][${method!}](arg));
      const target = await q;
      const targetUse = await observe(() => target[${method!}](arg));
      return respond({ kind, again, pipeCall, pipeRead, targetPipe, data: result[${dataKey!}], stubUse, targetUse });`;
    return callerAndCallee({ callee, targets: true, entrypoint: cls, probe: body });
  },
  check({ data }, observed: { kind: string; again: string; data: unknown } & Record<"pipeCall" | "pipeRead" | "targetPipe" | "stubUse" | "targetUse", Observed>) {
    const o = probeResult(observed);
    expect(o.kind, "typeof a call's thenable's [Symbol.dispose]").to.equal("function");
    expect(o.again, "disposing the thenable a second time").to.equal("returned");
    expectRpcError(o.pipeCall, "a call pipelined on a disposed thenable", "Error", DISPOSED_PROMISE);
    expectRpcError(o.pipeRead, "a read pipelined on a disposed thenable", "Error", DISPOSED_PROMISE);
    expectRpcError(o.targetPipe, "a call pipelined on a disposed thenable of an RpcTarget", "Error", DISPOSED_PROMISE);
    expect(o.data, "the data in the disposed call's result").to.deep.equal(data);
    expectRpcError(o.stubUse, "a stub in the disposed call's result", "Error", DISPOSED_STUB);
    expectRpcError(o.targetUse, "the RpcTarget stub a disposed call resolved to", "Error", DISPOSED_STUB);
  },
});
