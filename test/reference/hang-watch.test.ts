import { expect } from "chai";
import { HUNG_MESSAGE } from "../../reference/rpc/hang-watch.ts";
import { bootPair, worker } from "./helpers.ts";

// CTX-HUNG-CANCELLED on the reference: the cases measured on workerd (spec/ctx.md), and the host
// work the reference must see so that it never cancels a call that was about to finish.
const SERVER = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
const log = [];
let parked;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export class Named extends WorkerEntrypoint {
  never() { return new Promise(() => {}); }
  async neverAsync() { await new Promise(() => {}); }
  neverAfterTimer() { setTimeout(() => log.push("timer"), 30); return new Promise(() => {}); }
  neverAfterWaitUntil() { this.ctx.waitUntil(sleep(30).then(() => log.push("waited"))); return new Promise(() => {}); }
  neverAfterCall() { return this.env.D.slow(30).then((v) => { log.push(v); return new Promise(() => {}); }); }
  afterTimer() { return sleep(30).then(() => "slept"); }
  afterCall() { return this.env.D.slow(30); }
  park() { return new Promise((r) => { parked = r; }); }
  release() { parked?.("released"); return "ok"; }
  async digest() { const bytes = await crypto.subtle.digest("SHA-256", new Uint8Array(1 << 22)); return bytes.byteLength; }
  async gzip(n) { const out = new Response(new Blob(["x".repeat(n)]).stream().pipeThrough(new CompressionStream("gzip"))); const back = new Response(out.body.pipeThrough(new DecompressionStream("gzip"))); return (await back.text()).length; }
  async rewrite() { const page = new Response("<p>a</p>".repeat(1000), { headers: { "content-type": "text/html" } }); return (await new HTMLRewriter().on("p", { element(e) { e.setAttribute("x", "1"); } }).transform(page).text()).length; }
  async read(stream) { return (await new Response(stream).text()).length; }
  async callBack(fn) { return await fn(); }
  async callBackLater(fn) { await null; return await fn(); }
  async neverAfterAwaitedCall() { await null; log.push(await this.env.D.slow(30)); await new Promise(() => {}); }
  target() { return new (class extends RpcTarget { never() { return new Promise(() => {}); } })(); }
  log() { return log.splice(0); }
}
export default { fetch() { return new Response(""); } };
`;
const OTHER = `
import { WorkerEntrypoint } from "cloudflare:workers";
export class D extends WorkerEntrypoint { slow(ms) { return new Promise((r) => setTimeout(() => r("slow " + ms), ms)); } }
export default { fetch() { return new Response(""); } };
`;

/** The probe races its call against a 2 s timer of its own: what the call gave, or "pending". */
const RACE = `const race = (p) => Promise.race([
  p.then((value) => ({ value }), (e) => ({ error: { ctor: e.constructor.name, message: e.message, remote: e.remote ?? "absent", callerRealm: e instanceof Error, own: Object.getOwnPropertyNames(e) } })),
  new Promise((r) => setTimeout(() => r("pending"), 2000)),
]);`;

const PROBES: Record<string, string> = {
  never: `async (env) => { ${RACE} return race(env.S.never()); }`,
  neverAsync: `async (env) => { ${RACE} return race(env.S.neverAsync()); }`,
  neverAfterTimer: `async (env) => { ${RACE} const r = await race(env.S.neverAfterTimer()); return [r, await env.S.log()]; }`,
  neverAfterWaitUntil: `async (env) => { ${RACE} const r = await race(env.S.neverAfterWaitUntil()); return [r, await env.S.log()]; }`,
  neverAfterCall: `async (env) => { ${RACE} const r = await race(env.S.neverAfterCall()); return [r, await env.S.log()]; }`,
  afterTimer: `async (env) => { ${RACE} return race(env.S.afterTimer()); }`,
  afterCall: `async (env) => { ${RACE} return race(env.S.afterCall()); }`,
  parkedAcrossCalls: `async (env) => { ${RACE} const p = env.S.park(); await new Promise((r) => setTimeout(r, 100)); await env.S.release(); return race(p); }`,
  parkedSameTurn: `async (env) => { ${RACE} const p = env.S.park(); await env.S.release(); return race(p); }`,
  digest: `async (env) => { ${RACE} return race(env.S.digest()); }`,
  gzip: `async (env) => { ${RACE} return race(env.S.gzip(1 << 20)); }`,
  rewrite: `async (env) => { ${RACE} return race(env.S.rewrite()); }`,
  slowStream: `async (env) => { ${RACE}
    let n = 0;
    const stream = new ReadableStream({ async pull(c) { await new Promise((r) => setTimeout(r, 20)); if (n++ < 3) c.enqueue(new Uint8Array(4)); else c.close(); } });
    return race(env.S.read(stream)); }`,
  slowCallback: `async (env) => { ${RACE} return race(env.S.callBack(() => new Promise((r) => setTimeout(() => r("called back"), 50)))); }`,
  slowCallbackAfterAwait: `async (env) => { ${RACE} return race(env.S.callBackLater(() => new Promise((r) => setTimeout(() => r("called back"), 50)))); }`,
  neverAfterAwaitedCall: `async (env) => { ${RACE} const r = await race(env.S.neverAfterAwaitedCall()); return [r, await env.S.log()]; }`,
  stubNever: `async (env) => { const t = await env.S.target(); return Promise.race([t.never().then(() => "settled", () => "rejected"), new Promise((r) => setTimeout(() => r("pending"), 300))]); }`,
};

const HUNG = { error: { ctor: "Error", message: HUNG_MESSAGE, remote: "absent", callerRealm: true, own: ["stack", "message"] } };

describe("reference: hung calls are cancelled (CTX-HUNG-CANCELLED)", function () {
  this.timeout(20_000);
  let answers: Record<string, unknown>;

  before(async () => {
    const pair = await bootPair({
      server: SERVER,
      probes: PROBES,
      serverServices: [{ binding: "D", service: "other", entrypoint: "D" }],
      extra: [worker("other", OTHER)],
    });
    try {
      // One at a time: the cases share the server's log.
      answers = {};
      for (const name of Object.keys(PROBES)) answers[name] = await pair.probe(name);
    } finally {
      await pair.dispose();
    }
  });

  it("a result that can never settle: the caller gets workerd's error, of its own realm, not remote", () => {
    expect(answers.never).to.deep.equal({ ok: HUNG });
    expect(answers.neverAsync).to.deep.equal({ ok: HUNG });
  });

  it("not before the call's timers, waitUntil work and own calls are done", () => {
    expect(answers.neverAfterTimer).to.deep.equal({ ok: [HUNG, ["timer"]] });
    expect(answers.neverAfterWaitUntil).to.deep.equal({ ok: [HUNG, ["waited"]] });
    expect(answers.neverAfterCall).to.deep.equal({ ok: [HUNG, ["slow 30"]] });
    expect(answers.neverAfterAwaitedCall).to.deep.equal({ ok: [HUNG, ["slow 30"]] });
  });

  it("a promise another call resolves later does not keep a call alive", () => {
    expect(answers.parkedAcrossCalls).to.deep.equal({ ok: HUNG });
  });

  it("the reference's choice where workerd's dates differ (spec/incidental.md): a promise the caller's next call resolves at once settles the call", () => {
    expect(answers.parkedSameTurn).to.deep.equal({ ok: { value: "released" } });
  });

  it("never cancels a call that waits on a timer, a call, crypto.subtle, compression, HTMLRewriter, a body or a callback", () => {
    expect(answers.afterTimer).to.deep.equal({ ok: { value: "slept" } });
    expect(answers.afterCall).to.deep.equal({ ok: { value: "slow 30" } });
    expect(answers.digest).to.deep.equal({ ok: { value: 32 } });
    expect(answers.gzip).to.deep.equal({ ok: { value: 1 << 20 } });
    expect(answers.rewrite).to.deep.equal({ ok: { value: 14000 } });
    expect(answers.slowStream).to.deep.equal({ ok: { value: 12 } });
    expect(answers.slowCallback).to.deep.equal({ ok: { value: "called back" } });
    expect(answers.slowCallbackAfterAwait).to.deep.equal({ ok: { value: "called back" } });
  });

  it("a call on an RpcTarget stub is not a request: it stays pending", () => {
    expect(answers.stubNever).to.deep.equal({ ok: "pending" });
  });
});
