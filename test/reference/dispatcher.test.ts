import { expect } from "chai";
import { startScenario } from "../../reference/index.ts";
import { bootPair, clientSource, err, ok, worker } from "./helpers.ts";
import type { Pair } from "./helpers.ts";

const SERVER = `
import { WorkerEntrypoint } from "cloudflare:workers";
let constructed = 0;
let moduleCounter = 0;
class Base extends WorkerEntrypoint {
  inherited() { return "from base"; }
  get baseGetter() { return "base getter"; }
}
export class Named extends Base {
  field = 1;
  arrow = () => "arrow";
  constructor(ctx, env) {
    super(ctx, env);
    constructed++;
    this.assigned = "own";
    this.ctorArgs = arguments.length;
    this.sameCtx = this.ctx === ctx && this.env === env;
  }
  add(a, b) { return a + b; }
  async addAsync(a, b) { await null; return a + b; }
  argc(...args) { return args.length; }
  thisIsInstance() { return this instanceof Named; }
  ctorInfo() { return { ctorArgs: this.ctorArgs, sameCtx: this.sameCtx, constructed }; }
  bump() { this.count = (this.count ?? 0) + 1; return this.count; }
  moduleBump() { return ++moduleCounter; }
  get answer() { return 42; }
  get later() { return Promise.resolve("awaited"); }
  #secret() { return "secret"; }
  callsSecret() { return this.#secret(); }
  static helper() { return "static"; }
  throws(kind, message) { throw new globalThis[kind](message); }
  rejects(message) { return Promise.reject(new RangeError(message)); }
  throwsCustom() { class MyError extends RangeError {} throw new MyError("sub"); }
  throwsRenamed() { const e = new Error("boom"); e.name = "Custom"; throw e; }
  throwsString() { throw "plain"; }
  dup() { return "never"; }
  alarm() { return "never"; }
  fetch(...args) { return new Response(args.length + " " + (args[0] instanceof Request) + " " + args[0].method + " " + args[0].url); }
  props() { return this.ctx.props; }
  envVars() { return { V: this.env.V, J: this.env.J, keys: Object.keys(this.env) }; }
}
Named.prototype.notAFunction = 5;
export class Other extends WorkerEntrypoint { onlyOther() { return "other"; } }
export default class extends WorkerEntrypoint {
  hello() { return "default hello"; }
  fetch(request) { return new Response("default fetch"); }
}
`;

describe("reference: dispatcher and bindings", () => {
  let pair: Pair;
  const call = (expr: string) => `async (env) => ${expr}`;
  const probes: Record<string, string> = {
    add: call("env.S.add(1, 2)"),
    addAsync: call("env.S.addAsync(2, 3)"),
    inherited: call("env.S.inherited()"),
    baseGetter: call("await env.S.baseGetter"),
    getter: call("await env.S.answer"),
    getterCalled: call("env.S.answer()"),
    getterPromise: call("await env.S.later"),
    argc: call("env.S.argc(1, undefined, 3)"),
    argcNone: call("env.S.argc()"),
    thisIsInstance: call("env.S.thisIsInstance()"),
    ctorInfo: call("env.S.ctorInfo()"),
    bumpTwice: call("[await env.S.bump(), await env.S.bump()]"),
    moduleBump: call("[await env.S.moduleBump(), await env.S.moduleBump()]"),
    field: call("env.S.field()"),
    arrow: call("env.S.arrow()"),
    assigned: call("env.S.assigned()"),
    envProp: call("await env.S.env"),
    ctxProp: call("await env.S.ctx"),
    static: call("env.S.helper()"),
    missing: call("env.S.nope()"),
    missingProp: call("await env.S.nope"),
    private: call('env.S["#secret"]()'),
    viaPublic: call("env.S.callsSecret()"),
    notAFunction: call("env.S.notAFunction()"),
    dup: call("env.S.dup()"),
    alarm: call("env.S.alarm()"),
    webSocketClose: call("env.S.webSocketClose()"),
    fetchPath: call('(await env.S.fetch("http://x/y", { method: "POST" })).text()'),
    then: call("typeof env.S.then"),
    thenIn: call('"then" in env.S'),
    symbol: call("typeof env.S[Symbol.iterator]"),
    toString: call("env.S.toString()"),
    connect: call('typeof env.S.connect'),
    resultShape: `async (env) => { const p = env.S.add(1, 2); return [p instanceof Promise, typeof p.then, typeof p.catch, typeof p.finally, await p]; }`,
    propertyThenable: call("typeof env.S.add.then"),
    neverThrowsSync: `async (env) => { let p; try { p = env.S.add(Symbol("not cloneable")); } catch { return "threw"; } try { await p; return "resolved"; } catch (e) { return "rejected " + e.name; } }`,
    throwsType: call('env.S.throws("TypeError", "bad type")'),
    throwsSyntax: call('env.S.throws("SyntaxError", "bad syntax")'),
    throwsURI: call('env.S.throws("URIError", "bad uri")'),
    rejects: call('env.S.rejects("async range")'),
    throwsCustom: call("env.S.throwsCustom()"),
    throwsRenamed: call("env.S.throwsRenamed()"),
    throwsString: call("env.S.throwsString()"),
    other: call("env.O.onlyOther()"),
    otherAdd: call("env.O.add(1, 2)"),
    defaultHello: call("env.D.hello()"),
    defaultFetch: call('(await env.D.fetch("http://x/")).text()'),
    props: call("env.P.props()"),
    noProps: call("env.S.props()"),
    envVars: call("env.S.envVars()"),
    mutatedArg: `async (env) => { const o = { x: 1 }; const p = env.S.argc(o); o.x = 2; await p; return o.x; }`,
  };

  before(async () => {
    pair = await bootPair({
      server: SERVER,
      probes,
      serverVars: { V: "text", J: { nested: [1, 2] } },
      services: [
        { binding: "S", service: "server", entrypoint: "Named" },
        { binding: "O", service: "server", entrypoint: "Other" },
        { binding: "D", service: "server" },
        { binding: "P", service: "server", entrypoint: "Named", props: { tenant: "t1" } },
      ],
    });
  });
  after(() => pair.dispose());

  const notImplemented = (name: string) => `The RPC receiver does not implement the method "${name}".`;
  const expectRemoteTypeError = async (probe: string, message: string) => {
    const error = err(await pair.probe(probe));
    expect(error).to.include({ ctor: "TypeError", name: "TypeError", message, remote: true, callerRealm: true });
  };

  it("calls sync and async prototype methods, inherited ones, and getters", async () => {
    expect(ok(await pair.probe("add"))).to.equal(3);
    expect(ok(await pair.probe("addAsync"))).to.equal(5);
    expect(ok(await pair.probe("inherited"))).to.equal("from base");
    expect(ok(await pair.probe("baseGetter"))).to.equal("base getter");
    expect(ok(await pair.probe("getter"))).to.equal(42);
    expect(ok(await pair.probe("getterPromise"))).to.equal("awaited");
    expect(ok(await pair.probe("viaPublic"))).to.equal("secret");
  });

  it("passes exactly the caller's arguments with this = the instance", async () => {
    expect(ok(await pair.probe("argc"))).to.equal(3);
    expect(ok(await pair.probe("argcNone"))).to.equal(0);
    expect(ok(await pair.probe("thisIsInstance"))).to.equal(true);
  });

  it("constructs a new instance per call with (ctx, env), keeping module state", async () => {
    const info = ok(await pair.probe("ctorInfo")) as { ctorArgs: number; sameCtx: boolean };
    expect(info).to.include({ ctorArgs: 2, sameCtx: true });
    expect(ok(await pair.probe("bumpTwice"))).to.deep.equal([1, 1]);
    const [a, b] = ok(await pair.probe("moduleBump")) as number[];
    expect(b).to.equal(a! + 1);
  });

  it("never reaches own instance properties, statics, missing or #private names", async () => {
    for (const [probe, name] of [
      ["field", "field"],
      ["arrow", "arrow"],
      ["assigned", "assigned"],
      ["envProp", "env"],
      ["ctxProp", "ctx"],
      ["static", "helper"],
      ["missing", "nope"],
      ["missingProp", "nope"],
      ["private", "#secret"],
      ["otherAdd", "add"],
    ]) {
      await expectRemoteTypeError(probe!, notImplemented(name!));
    }
  });

  it("rejects reserved names and non-functions with workerd's messages", async () => {
    await expectRemoteTypeError("dup", "'dup' is a reserved method and cannot be called over RPC.");
    await expectRemoteTypeError("alarm", "'alarm' is a reserved method and cannot be called over RPC.");
    await expectRemoteTypeError("webSocketClose", "'webSocketClose' is a reserved method and cannot be called over RPC.");
    await expectRemoteTypeError("notAFunction", '"notAFunction" is not a function.');
    await expectRemoteTypeError("getterCalled", '"answer" is not a function.');
  });

  it("makes env.S look like a Fetcher: no then, no symbols, Object.prototype local, fetch and connect", async () => {
    expect(ok(await pair.probe("then"))).to.equal("undefined");
    expect(ok(await pair.probe("thenIn"))).to.equal(false);
    expect(ok(await pair.probe("symbol"))).to.equal("undefined");
    expect(ok(await pair.probe("toString"))).to.equal("[object Object]"); // no class tag before set_tostring_tag (STUB-SURFACE)
    expect(ok(await pair.probe("connect"))).to.equal("function");
    expect(ok(await pair.probe("propertyThenable"))).to.equal("function");
  });

  it("returns a thenable that is not a Promise, and never throws synchronously", async () => {
    expect(ok(await pair.probe("resultShape"))).to.deep.equal([false, "function", "function", "function", 3]);
    expect(ok(await pair.probe("neverThrowsSync"))).to.equal("rejected DataCloneError");
  });

  it("treats getters returning undefined as missing and array-index keys as not RPC names (VIS-PROTOTYPE-GETTER, VIS-NAME-FUZZ)", async () => {
    const server = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Named extends WorkerEntrypoint {
  get nothing() { return undefined; }
  set setOnly(v) {}
  ["0"]() { return "zero"; }
  ["-1"]() { return "minus one"; }
}`;
    const local = await bootPair({
      server,
      probes: {
        nothing: "async (env) => env.S.nothing",
        setOnly: "async (env) => env.S.setOnly()",
        indices: "async (env) => [typeof env.S[0], typeof env.S['42'], typeof env.S['4294967295'], await env.S['-1']()]",
      },
    });
    try {
      expect(err(await local.probe("nothing")).message).to.equal('The RPC receiver does not implement the method "nothing".');
      expect(err(await local.probe("setOnly")).message).to.equal('The RPC receiver does not implement the method "setOnly".');
      expect(ok(await local.probe("indices"))).to.deep.equal(["undefined", "undefined", "function", "minus one"]);
    } finally {
      await local.dispose();
    }
  });

  it("takes the HTTP path for fetch: a fresh instance gets a Request", async () => {
    expect(ok(await pair.probe("fetchPath"))).to.equal("3 true POST http://x/y");
    expect(ok(await pair.probe("defaultFetch"))).to.equal("default fetch");
  });

  it("rebuilds thrown errors in the caller's realm, by built-in name, with remote = true", async () => {
    const cases: [string, string, string][] = [
      ["throwsType", "TypeError", "bad type"],
      ["throwsSyntax", "SyntaxError", "bad syntax"],
      ["throwsURI", "URIError", "bad uri"],
      ["rejects", "RangeError", "async range"],
      ["throwsCustom", "RangeError", "sub"],
      ["throwsRenamed", "Error", "Custom: boom"],
      ["throwsString", "Error", "plain"],
    ];
    for (const [probe, ctor, message] of cases) {
      const error = err(await pair.probe(probe));
      expect(error, probe).to.include({ ctor, name: ctor, message, remote: true, callerRealm: true });
      expect(error.stack, probe).not.to.include("server/");
    }
  });

  it("routes bindings to named and default entrypoints, with props", async () => {
    expect(ok(await pair.probe("other"))).to.equal("other");
    expect(ok(await pair.probe("defaultHello"))).to.equal("default hello");
    expect(ok(await pair.probe("props"))).to.deep.equal({ tenant: "t1" });
    expect(ok(await pair.probe("noProps"))).to.deep.equal({});
  });

  it("gives the callee its own env: vars parsed, keys in order", async () => {
    expect(ok(await pair.probe("envVars"))).to.deep.equal({ V: "text", J: { nested: [1, 2] }, keys: ["V", "J"] });
  });

  it("copies arguments at call time", async () => {
    expect(ok(await pair.probe("mutatedArg"))).to.equal(2); // the caller's object is untouched by the copy
  });

  it("delivers HTTP requests to a plain-object default export with (request, env, ctx)", async () => {
    const scenario = await startScenario([
      worker("w", `export default { fetch(request, env, ctx) { return new Response([request.url, env.V, typeof ctx.waitUntil, JSON.stringify(ctx.props)].join(" ")); } };`, {
        vars: { V: "v" },
      }),
    ]);
    try {
      const response = await scenario.fetch("w", new Request("http://w/path"));
      expect(await response.text()).to.equal("http://w/path v function {}");
    } finally {
      await scenario.dispose();
    }
  });

  it("rejects a zero-argument RPC to a plain-object default export as workerd does (BIND-DEFAULT-OBJECT)", async () => {
    const plain = await bootPair({
      server: `export default { fetch() { return new Response("x"); }, m() { return 1; } };`,
      probes: { m: "async (env) => env.S.m()" },
      services: [{ binding: "S", service: "server" }],
    });
    try {
      expect(err(await plain.probe("m"))).to.include({ ctor: "TypeError", remote: true });
      expect(err(await plain.probe("m")).message).to.match(/^Attempted to call RPC function "m" with the wrong number of arguments\./);
    } finally {
      await plain.dispose();
    }
  });

  it("turns hostile results and thrown values into rejections, never host crashes", async () => {
    const hostile = await bootPair({
      server: `import { WorkerEntrypoint } from "cloudflare:workers";
        export class Named extends WorkerEntrypoint {
          badThen() { return { get then() { throw new RangeError("then getter"); } }; }
          throwsProxy() { throw new Proxy({}, { getPrototypeOf() { throw new Error("trap"); } }); }
          badGetter() { return { get x() { throw new TypeError("getter during copy"); } }; }
        }`,
      probes: {
        badThen: "async (env) => env.S.badThen()",
        throwsProxy: "async (env) => env.S.throwsProxy()",
        badGetter: "async (env) => env.S.badGetter()",
      },
    });
    try {
      expect(err(await hostile.probe("badThen"))).to.include({ ctor: "RangeError", message: "then getter", remote: true });
      expect(err(await hostile.probe("throwsProxy"))).to.include({ ctor: "Error", remote: true });
      expect(err(await hostile.probe("badGetter"))).to.include({ ctor: "TypeError", message: "getter during copy", remote: true });
    } finally {
      await hostile.dispose();
    }
  });

  describe("start-time errors name the worker", () => {
    const expectStartError = async (workers: Parameters<typeof startScenario>[0], pattern: RegExp) => {
      let error: unknown;
      try {
        await (await startScenario(workers)).dispose();
      } catch (e) {
        error = e;
      }
      expect(error, "startScenario should have failed").to.be.instanceOf(Error);
      expect((error as Error).message).to.match(pattern);
      expect((error as Error).stack).not.to.include("reference/");
    };
    const server = `import { WorkerEntrypoint } from "cloudflare:workers";
      export class Named extends WorkerEntrypoint {} export class Plain {} export default { fetch() {} };`;

    it("an entrypoint that does not exist, or is written \"default\" (BIND-DEFAULT-NOT-NAMED)", async () => {
      await expectStartError(
        [worker("c", "export default {}", { services: [{ binding: "S", service: "s", entrypoint: "Nope" }] }), worker("s", server)],
        /worker "c": service binding "S" names entrypoint "Nope", but worker "s" has no export of that name/,
      );
      await expectStartError(
        [worker("c", "export default {}", { services: [{ binding: "S", service: "s", entrypoint: "default" }] }), worker("s", server)],
        /worker "c": service binding "S" names entrypoint "default", but the default export of worker "s" is not a named entrypoint: leave entrypoint out to reach it/,
      );
    });

    it("a class not extending WorkerEntrypoint starts, and fails each call (BIND-NOT-ENTRYPOINT)", async () => {
      const scenario = await startScenario([
        worker("c", "export default { async fetch(request, env) { try { await env.S.m(1); return new Response('resolved'); } catch (e) { return new Response(e.message); } } }", {
          services: [{ binding: "S", service: "s", entrypoint: "Plain" }],
        }),
        worker("s", server),
      ]);
      try {
        expect(await (await scenario.fetch("c", new Request("http://c/"))).text()).to.match(/^internal error; reference = [0-9a-v]{24}$/);
      } finally {
        await scenario.dispose();
      }
    });

    it("an unknown service, duplicate workers, duplicate bindings", async () => {
      await expectStartError(
        [worker("c", "export default {}", { services: [{ binding: "S", service: "ghost" }] })],
        /worker "c": service binding "S" names service "ghost", which is not a worker of this scenario/,
      );
      await expectStartError([worker("a", "export default {}"), worker("a", "export default {}")], /two workers are named "a"/);
      await expectStartError(
        [worker("c", "export default {}", { vars: { S: "x" }, services: [{ binding: "S", service: "c" }] })],
        /worker "c": binding name "S" is used twice/,
      );
    });

    it("a syntax error, a missing module, an unknown import, a throwing module", async () => {
      await expectStartError([worker("bad", "export default {")], /worker "bad": index\.js:1:\d+: /);
      await expectStartError([worker("bad", 'import x from "./nope.js"; export default x;')], /worker "bad": index\.js:1:\d+: cannot find module "\.\/nope\.js"/);
      await expectStartError(
        [worker("bad", 'import { connect } from "cloudflare:sockets"; export default { connect };')],
        /worker "bad": index\.js:1:\d+: imports "cloudflare:sockets", which the reference runtime does not provide/,
      );
      await expectStartError([worker("bad", 'throw new Error("top"); export default {};')], /worker "bad": evaluating index\.js threw Error: top/);
      await expectStartError([worker("bad", "export default {};", { main: "main.js" })], /worker "bad": main module "main\.js" is not among its modules/);
    });
  });

  it("loads each worker once, with its own globals and module state", async () => {
    const scenario = await startScenario([
      worker("a", `globalThis.tag = "a"; let n = 0; export default { fetch() { return new Response(globalThis.tag + (++n) + (typeof Object.prototype.leak)); } };`),
      worker("b", `globalThis.tag = "b"; Object.prototype.leak = 1; let n = 0; export default { fetch() { return new Response(globalThis.tag + (++n)); } };`),
    ]);
    try {
      const text = async (w: string) => (await scenario.fetch(w, new Request("http://x/"))).text();
      expect(await text("a")).to.equal("a1undefined");
      expect(await text("a")).to.equal("a2undefined");
      expect(await text("b")).to.equal("b1");
    } finally {
      await scenario.dispose();
    }
  });

  it("serves modules importing each other, and the probe client source itself", async () => {
    const scenario = await startScenario([
      {
        ...worker("m", ""),
        main: "src/main.js",
        modules: {
          "src/main.js": `import { greet } from "./lib/greet.js"; export default { fetch() { return new Response(greet()); } };`,
          "src/lib/greet.js": `import data from "../data.json"; export function greet() { return "hi " + data.who; }`,
          "src/data.json": `{ "who": "there" }`,
        },
      },
      worker("client", clientSource({ one: "async () => 1" })),
    ]);
    try {
      expect(await (await scenario.fetch("m", new Request("http://x/"))).text()).to.equal("hi there");
      expect(await (await scenario.fetch("client", new Request("http://x/one"))).json()).to.deep.equal({ ok: 1 });
    } finally {
      await scenario.dispose();
    }
  });
});
