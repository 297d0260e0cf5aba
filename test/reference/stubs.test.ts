import { expect } from "chai";
import { isFlagOn, RPC_PARAMS_DUP_STUBS } from "../../reference/loading/compatibility.ts";
import { bootPair, err, ok } from "./helpers.ts";
import type { Pair } from "./helpers.ts";

const SERVER = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
let disposed = 0;
class Counter extends RpcTarget {
  constructor() { super(); this.n = 0; this.own = 1; }
  inc() { return ++this.n; }
  get value() { return this.n; }
  self() { return this; }
}
export class Named extends WorkerEntrypoint {
  make() { return new Counter(); }
  makeFn() { let calls = 0; const f = (x) => [x, ++calls]; f.tag = "t"; return f; }
  nested() { return { data: [1, 2], deep: { counter: new Counter() } }; }
  prim() { return 42; }
  fail() { throw new RangeError("boom"); }
  async use(stub) { return await stub.inc(); }
  async callBack(cb) { return await cb("from callee"); }
}
`;

const DISPOSED = "RPC stub used after being disposed.";

describe("reference: stubs and pipelining", function () {
  this.timeout(20_000);
  let pair: Pair;

  before(async () => {
    pair = await bootPair({
      server: SERVER,
      probes: {
        counter: `async (env) => { const c = await env.S.make(); return [await c.inc(), await c.inc(), await c.value]; }`,
        ownHidden: `async (env) => { const c = await env.S.make(); return await c.own(); }`,
        fn: `async (env) => { const f = await env.S.makeFn(); return [await f("a"), await f("b"), await f.tag]; }`,
        callback: `async (env) => { const seen = []; const r = await env.S.callBack((x) => { seen.push(x); return "back"; }); return [r, seen]; }`,
        pipeline: `async (env) => [await env.S.make().inc(), await env.S.nested().deep.counter.self().inc()]`,
        pipelinePrimitive: `async (env) => await env.S.prim().foo()`,
        pipelineFailure: `async (env) => await env.S.fail().a.b()`,
        dispose: `async (env) => { const c = await env.S.make(); c[Symbol.dispose](); return await c.inc(); }`,
        dup: `async (env) => { const c = await env.S.make(); const d = c.dup(); c[Symbol.dispose](); return await d.inc(); }`,
        resultDispose: `async (env) => { const r = await env.S.nested(); r[Symbol.dispose](); return await r.deep.counter.inc(); }`,
        passTransfers: `async (env) => { const c = await env.S.make(); await env.S.use(c); return await c.inc(); }`,
      },
    });
  });
  after(() => pair.dispose());

  it("an RpcTarget crosses as a stub: prototype members reachable, own properties not", async () => {
    expect(ok(await pair.probe("counter"))).to.deep.equal([1, 2, 2]);
    expect(err(await pair.probe("ownHidden")).message).to.equal('The RPC receiver does not implement the method "own".');
  });

  it("a function crosses as a stub that keeps its closure; a callback runs in the caller", async () => {
    expect(ok(await pair.probe("fn"))).to.deep.equal([["a", 1], ["b", 2], "t"]);
    expect(ok(await pair.probe("callback"))).to.deep.equal(["back", ["from callee"]]);
  });

  it("pipelines through results, and names the failing name on a primitive", async () => {
    expect(ok(await pair.probe("pipeline"))).to.deep.equal([1, 1]);
    expect(err(await pair.probe("pipelinePrimitive")).message).to.equal('The RPC receiver does not implement the method "foo".');
    expect(err(await pair.probe("pipelineFailure"))).to.include({ name: "RangeError", message: "boom" });
  });

  it("dispose, dup and result disposal", async () => {
    expect(err(await pair.probe("dispose")).message).to.equal(DISPOSED);
    expect(ok(await pair.probe("dup"))).to.equal(1);
    expect(err(await pair.probe("resultDispose")).message).to.equal(DISPOSED);
  });

  it("a stub passed as an argument is transferred under 2024-04-03 (the helpers' date)", async () => {
    expect(err(await pair.probe("passTransfers")).message).to.equal(DISPOSED);
  });

  it("rpc_params_dup_stubs follows workerd's rule: date, or the enable flag, unless disabled", () => {
    expect(isFlagOn(RPC_PARAMS_DUP_STUBS, "2026-01-19", [])).to.equal(false);
    expect(isFlagOn(RPC_PARAMS_DUP_STUBS, "2026-01-20", [])).to.equal(true);
    expect(isFlagOn(RPC_PARAMS_DUP_STUBS, "2024-04-03", ["rpc_params_dup_stubs"])).to.equal(true);
    expect(isFlagOn(RPC_PARAMS_DUP_STUBS, "2026-11-17", ["rpc_params_transfer_stubs"])).to.equal(false);
  });
});
