/** Conformance tests for spec/bindings.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { HARNESS_SOURCE } from "../engine/scenario.ts";
import { jsonLikeValue } from "../arbitraries/values.ts";
import { observedEncoding } from "../arbitraries/crossing.ts";
import type { WorkerSketch } from "../engine/scenario.ts";
import { className, distinct, memberName } from "../arbitraries/names.ts";
import { argumentValue, configJsonValue, wellFormedString } from "../arbitraries/values.ts";
import { calleeWorker, callerAndCallee, callerWorker, code, expectRpcError, expectValue, ident, js, json, lines, notImplemented, type Observed, type Source, value } from "./support.ts";

/** A worker exporting several named entrypoints plus a default, all with the same method name. */
function multiEntrypointSource(named: string[], method: string, defaultIsClass: boolean): Source {
  const classes = named.map((cls) => js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { return ${"named:" + cls}; }\n}`);
  const def = defaultIsClass
    ? js`export default class extends WorkerEntrypoint {\n  [${method}]() { return "default"; }\n  fetch() { return new Response("default fetch"); }\n}`
    : js`export default { fetch() { return new Response("default fetch"); } };`;
  return lines([...classes, def]);
}

defineTest({
  id: "bindings/named-entrypoint",
  title: "[[services]] entrypoint = \"Name\" reaches that named export, for each of several",
  requirements: ["BIND-NAMED-ENTRYPOINT"],
  arbitrary: fc.record({ named: distinct(className, 1, 4), method: memberName, order: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) }),
  scenario({ named, method, order }) {
    const services = named.map((cls, i) => ({ binding: `B${i}`, service: "callee", entrypoint: cls }));
    const calls = order.map((n) => `B${n % named.length}`);
    return callerAndCallee({
      callee: multiEntrypointSource(named, method, true),
      binding: null,
      probeServices: services,
      probe: js`const out = []; for (const b of ${json(calls)}) out.push(await observe(() => env[b][${method}]())); return respond(out);`,
    });
  },
  check({ named, order }, observed: Observed[]) {
    observed.forEach((o, i) => {
      const cls = named[order[i]! % named.length]!;
      expect(expectValue(o, `call through the binding to ${cls}`), `${cls}: the entrypoint the binding reached`).to.equal("named:" + cls);
    });
  },
});

defineTest({
  id: "bindings/default-entrypoint",
  title: "a binding without entrypoint reaches the default export, which may be a WorkerEntrypoint class",
  requirements: ["BIND-DEFAULT-ENTRYPOINT"],
  arbitrary: fc.record({ named: distinct(className, 0, 3), method: memberName }),
  scenario({ named, method }) {
    return callerAndCallee({
      callee: multiEntrypointSource(named, method, true),
      binding: "D",
      probe: js`return respond({
             call: await observe(() => env.D[${method}]()),
             fetch: await observe(async () => (await env.D.fetch("https://callee.example/")).text()),
           });`,
    });
  },
  check(_c, o: { call: Observed; fetch: Observed }) {
    expect(expectValue(o.call, "RPC call through the binding without entrypoint")).to.equal("default");
    expect(expectValue(o.fetch, "fetch through the binding without entrypoint")).to.equal("default fetch");
  },
});

defineTest({
  id: "bindings/default-anonymous-name",
  title: "an anonymous default export is named \"default\", as ES modules name it: an entrypoint instance sees this.constructor.name === \"default\"",
  requirements: ["BIND-DEFAULT-ANONYMOUS-NAME"],
  arbitrary: fc.record({ method: memberName, arg: jsonLikeValue, module: fc.constantFrom("index.js", "worker.js", "src/main.js") }),
  scenario({ method, arg, module }) {
    const callee = js`import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint {
  [${method}](x) { return { x, name: this.constructor.name, own: Object.getOwnPropertyDescriptor(this.constructor, "name") }; }
}`;
    // The main module's path varies, which callerAndCallee's callee does not.
    return {
      workers: [
        { name: "callee", main: module, modules: { [module]: callee.text } },
        callerWorker("probe", js`return respond(await observe(() => env.D[${method}](${value(arg)})));`, { services: [{ binding: "D", service: "callee" }] }),
      ],
      probe: "probe",
    };
  },
  check({ arg }, observed) {
    expect(expectValue(observed, "the default entrypoint's own view of its class name")).to.deep.equal({
      x: arg,
      name: "default",
      own: { value: "default", writable: false, enumerable: false, configurable: true },
    });
  },
});

defineTest({
  id: "bindings/entrypoint-isolation",
  title: "a binding reaches only the methods of the entrypoint it names",
  requirements: ["BIND-ENTRYPOINT-ISOLATION"],
  arbitrary: fc.record({ classes: distinct(className, 2, 3), methods: distinct(memberName, 3, 3) }),
  scenario({ classes, methods }) {
    // Each class gets its own method; the default export gets the last one.
    const source = js`${lines(classes.map((cls, i) => js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${methods[i % 2]!}]() { return ${cls}; }\n}`))}
export default class extends WorkerEntrypoint {\n  [${methods[2]!}]() { return "default"; }\n}`;
    return callerAndCallee({
      callee: source,
      binding: "A",
      entrypoint: classes[0]!,
      probe: js`return respond({
             own: await observe(() => env.A[${methods[0]!}]()),
             sibling: await observe(() => env.A[${methods[1]!}]()),
             fromDefault: await observe(() => env.A[${methods[2]!}]()),
           });`,
    });
  },
  check({ classes, methods }, o: Record<"own" | "sibling" | "fromDefault", Observed>) {
    expect(expectValue(o.own, "the bound entrypoint's own method")).to.equal(classes[0]);
    expectRpcError(o.sibling, `a method of sibling export ${classes[1]}`, "TypeError", notImplemented(methods[1]!));
    expectRpcError(o.fromDefault, "a method of the default export", "TypeError", notImplemented(methods[2]!));
  },
});

const propsTable = fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/), configJsonValue, { maxKeys: 3, noNullPrototype: true });

/** The message workerd gives when a handler-object method is called with other than one argument. */
const wrongArity = (name: string) =>
  `Attempted to call RPC function "${name}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`;

defineTest({
  id: "bindings/default-object",
  title: "a plain-object default export serves fetch, and RPC to its own methods with exactly one argument plus (env, ctx)",
  requirements: ["BIND-DEFAULT-OBJECT"],
  arbitrary: fc.record({
    names: distinct(memberName, 3, 3),
    arg: argumentValue,
    arity: fc.constantFrom(0, 2, 3),
    props: fc.option(propsTable, { nil: undefined }),
    v: wellFormedString,
    httpMethod: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
  }),
  scenario({ names: [method, onProto, data], arg, arity, props, v, httpMethod }) {
    // `onProto` lives on the handler object's prototype, `data` is an own non-function member.
    const source = js`const handler = Object.create({ [${onProto!}](x) { return "prototype"; } });
Object.assign(handler, {
  fetch(request, env, ctx) { return new Response("object fetch " + request.method + " " + env.V); },
  [${method!}](x, env, ctx) { return { x, v: env.V, props: ctx.props, self: this === handler, count: arguments.length }; },
  [${data!}]: 5,
});
export default handler;`;
    const extra = Array.from({ length: arity }, (_, i) => i);
    return callerAndCallee({
      callee: source,
      calleeVars: { V: v },
      binding: "O",
      props,
      probe: js`const arg = ${value(arg)};
           return respond({
             fetch: await observe(async () => (await env.O.fetch("https://callee.example/", { method: ${httpMethod} })).text()),
             call: await observe(() => env.O[${method!}](arg)),
             wrongArity: await observe(() => env.O[${method!}](...${json(extra)})),
             onProto: await observe(() => env.O[${onProto!}](arg)),
             data: await observe(() => env.O[${data!}](arg)),
           });`,
    });
  },
  check({ names: [method, onProto, data], arg, arity, props, v, httpMethod }, o: Record<"fetch" | "call" | "wrongArity" | "onProto" | "data", Observed>) {
    expect(expectValue(o.fetch, "binding.fetch() to the handler object"), "what the object's fetch answered").to.equal(`object fetch ${httpMethod} ${v}`);
    expect(expectValue(o.call, `${method}(arg)`), "what the handler method saw: (arg, env, ctx), this = the object").to.deep.equal({
      x: arg,
      v,
      props: props ?? {},
      self: true,
      count: 3,
    });
    expectRpcError(o.wrongArity, `${method}() with ${arity} arguments`, "TypeError", wrongArity(method!));
    expectRpcError(o.onProto, `${onProto}(), on the object's prototype`, "TypeError", notImplemented(onProto!));
    expectRpcError(o.data, `${data}(), an own non-function member`, "TypeError", `"${data}" is not a function.`);
  },
});

defineTest({
  id: "bindings/self",
  title: "a worker may bind to its own named entrypoints and its own default export",
  requirements: ["BIND-SELF"],
  arbitrary: fc.record({ named: distinct(className, 1, 3), method: memberName, order: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), marker: fc.stringMatching(/^[a-z0-9]{1,12}$/) }),
  scenario({ named, method, order, marker }) {
    const classes = lines(named.map((cls) => js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { return ${"self:" + cls}; }\n}`));
    const calls = order.map((n) => `B${n % named.length}`);
    // The probe binds to itself; a request carrying x-self is the inner one, through SELF.
    const main = js`import { WorkerEntrypoint } from "cloudflare:workers";
import { observe, respond } from "./harness.js";
${classes}
export default {
  async fetch(request, env, ctx) {
    if (request.headers.has("x-self")) return new Response("default:" + request.headers.get("x-self"));
    const named = [];
    for (const b of ${json(calls)}) named.push(await observe(() => env[b][${method}]()));
    const viaDefault = await observe(async () => (await env.SELF.fetch("https://self.example/", { headers: { "x-self": ${marker} } })).text());
    return respond({ named, viaDefault });
  },
};`;
    const probe: WorkerSketch = {
      name: "probe",
      modules: { "index.js": main.text, "harness.js": HARNESS_SOURCE },
      services: [...named.map((cls, i) => ({ binding: `B${i}`, service: "probe", entrypoint: cls })), { binding: "SELF", service: "probe" }],
    };
    return { workers: [probe], probe: "probe" };
  },
  check({ named, order, marker }, o: { named: Observed[]; viaDefault: Observed }) {
    o.named.forEach((call, i) => {
      const cls = named[order[i]! % named.length]!;
      expect(expectValue(call, `call through the self-binding to ${cls}`), `${cls}: the entrypoint the self-binding reached`).to.equal("self:" + cls);
    });
    expect(expectValue(o.viaDefault, "fetch through the self-binding to the default export"), "what the worker's own fetch answered").to.equal("default:" + marker);
  },
});

defineTest({
  id: "bindings/same-target-twice",
  title: "two bindings to one entrypoint are distinct objects, each call a fresh instance with that binding's props",
  requirements: ["BIND-SAME-TARGET-TWICE"],
  arbitrary: fc.record({
    cls: className,
    method: memberName,
    props: fc.tuple(fc.option(propsTable, { nil: undefined }), fc.option(propsTable, { nil: undefined })),
    order: fc.array(fc.boolean(), { minLength: 2, maxLength: 6 }),
  }),
  scenario({ cls, method, props, order }) {
    const calls = order.map((second) => (second ? "B" : "A"));
    const services = (["A", "B"] as const).map((binding, i) => ({ binding, service: "callee", entrypoint: cls, ...(props[i] === undefined ? {} : { props: props[i] }) }));
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { this.calls = (this.calls ?? 0) + 1; return { calls: this.calls, props: this.ctx.props }; }\n}`,
      binding: null,
      probeServices: services,
      probe: js`const out = [];
           for (const b of ${json(calls)}) out.push(await observe(() => env[b][${method}]()));
           return respond({ distinct: env.A !== env.B, out });`,
    });
  },
  check({ props, order }, o: { distinct: boolean; out: Observed[] }) {
    expect(o.distinct, "env.A !== env.B for two bindings to the same entrypoint").to.equal(true);
    o.out.forEach((call, i) => {
      const which = order[i] ? 1 : 0;
      expect(expectValue(call, `call ${i} through binding ${"AB"[which]}`), `call ${i} through binding ${"AB"[which]}: a fresh instance with its own props`).to.deep.equal({
        calls: 1,
        props: props[which] ?? {},
      });
    });
  },
});

defineTest({
  id: "bindings/passed-over-rpc",
  title: "a service binding passed as an argument or returned (alone or nested) reaches the bound entrypoint: methods, getters, fetch, props",
  requirements: ["BIND-PASSED-OVER-RPC"],
  numRuns: 40,
  arbitrary: fc
    .record({
      cls: className,
      bound: className,
      names: distinct(memberName, 4, 4),
      props: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), configJsonValue, { maxKeys: 3, noNullPrototype: true }),
      direction: fc.constantFrom("argument", "result"),
      key: fc.option(memberName, { nil: undefined }),
      arg: configJsonValue,
      path: fc.stringMatching(/^\/[a-z0-9]{0,8}$/),
    })
    .filter(({ cls, bound }) => cls !== bound),
  scenario({ cls, bound, names: [entry, method, getter, tag], props, direction, key, arg, path }) {
    const target = js`export class ${ident(bound)} extends WorkerEntrypoint {
  [${method!}](x) { return { x, props: this.ctx.props, tag: ${tag!} }; }
  get [${getter!}]() { return ${tag!}; }
  fetch(request) { return new Response(${tag!} + new URL(request.url).pathname); }
}`;
    const wrap = (b: Source) => (key === undefined ? b : js`{ [${key}]: ${b} }`);
    const unwrap = (v: Source) => (key === undefined ? v : js`${v}[${key}]`);
    const use = js`async (b) => ({
        call: await observe(() => b[${method!}](${value(arg)})),
        read: await observe(() => b[${getter!}]),
        fetch: await observe(async () => (await b.fetch(${"http://host" + path})).text()),
      })`;
    const callee = js`import { observe } from "./harness.js";
export class ${ident(cls)} extends WorkerEntrypoint {
  async [${entry!}](received) {
    if (received === undefined) return ${wrap(js`this.env.BOUND`)};
    const use = ${use};
    return await use(${unwrap(js`received`)});
  }
}`;
    const body =
      direction === "argument"
        ? js`return respond(await env.S[${entry!}](${wrap(js`env.BOUND`)}));`
        : js`const got = await env.S[${entry!}](); const use = ${use}; return respond(await use(${unwrap(js`got`)}));`;
    const boundService = [{ binding: "BOUND", service: "target", entrypoint: bound, props }];
    // The target worker comes first, as it always has (callerAndCallee would put the callee first).
    return {
      workers: [
        calleeWorker("target", target),
        calleeWorker("callee", callee, { services: direction === "result" ? boundService : [] }),
        callerWorker("probe", body, { services: [{ binding: "S", service: "callee", entrypoint: cls }, ...(direction === "argument" ? boundService : [])] }),
      ],
      probe: "probe",
    };
  },
  check({ names: [, , , tag], props, direction, key, arg, path }, o: Record<"call" | "read" | "fetch", Observed>) {
    const what = `a binding ${direction === "argument" ? "passed as an argument" : "returned"}${key === undefined ? "" : " inside an object"}`;
    expect(expectValue(o.call, `${what}: a method call through it`), "what the bound entrypoint saw").to.deep.equal({ x: arg, props, tag });
    expect(expectValue(o.read, `${what}: awaiting a getter through it`), "the getter's value").to.deep.equal(tag);
    expect(expectValue(o.fetch, `${what}: fetch() through it`), "the response text").to.equal(tag + path);
  },
});

defineTest({
  id: "bindings/named-object",
  title: "a binding to a named export that is an object of handlers reaches it with BIND-DEFAULT-OBJECT's rules: own members, (x, env, ctx), exactly one argument, fetch(request, env, ctx)",
  requirements: ["BIND-NAMED-OBJECT", "BIND-DEFAULT-OBJECT"],
  arbitrary: fc.record({ exportName: className, member: memberName.filter((n) => n !== "fetch" && n !== "connect"), arg: jsonLikeValue, path: fc.stringMatching(/^[a-z]{1,8}$/) }),
  scenario({ exportName, member, arg, path }) {
    const callee = js`import { WorkerEntrypoint } from "cloudflare:workers";
export const ${ident(exportName)} = {
  [${member}](x, env, ctx) { return { x, from: "named", env: typeof env, waitUntil: typeof ctx.waitUntil, extra: arguments.length }; },
  fetch(request, env, ctx) { return new Response("named " + new URL(request.url).pathname + " " + typeof env + " " + typeof ctx.waitUntil); },
};
export default class extends WorkerEntrypoint {
  [${member}](x) { return { x, from: "default" }; }
  fetch() { return new Response("default"); }
}`;
    const body = js`
      const one = await observe(() => env.S[${member}](${value(arg)}));
      const two = await observe(() => env.S[${member}](1, 2));
      const response = await env.S.fetch(${"http://named.invalid/" + path});
      return respond({ one, two, fetch: await response.text() });`;
    return callerAndCallee({ callee, bare: true, entrypoint: exportName, probe: body });
  },
  check({ member, arg, path }, o: { one: Observed; two: Observed; fetch: string }) {
    const wrongArity = new TypeError(
      `Attempted to call RPC function "${member}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`,
    );
    expect({ ...o, two: o.two.ok ? o.two : { ok: false, error: observedEncoding(o.two.error) } }, "calls and a fetch through a binding to a named object of handlers").to.deep.equal({
      one: { ok: true, value: { x: arg, from: "named", env: "object", waitUntil: "function", extra: 3 } },
      two: { ok: false, error: observedEncoding(Object.assign(wrongArity, { remote: true })) },
      fetch: `named /${path} object function`,
    });
  },
});

/** How a call through a binding to a function or a class not extending WorkerEntrypoint fails, as the probe reads it. */
const FAILURE_VIEW = js`const failure = async (fn) => {
        let pending;
        try { pending = fn(); } catch (e) { return { sync: true, message: String(e && e.message) }; }
        try { return { resolved: typeof (await pending) }; } catch (e) {
          const id = /^internal error; reference = [0-9a-z]+$/.test(e.message);
          const text = (t) => String(t).replace(/reference = [0-9a-z]+/, "reference = <id>");
          return { instanceOfError: e instanceof Error, proto: Object.getPrototypeOf(e) === Error.prototype, name: e.name, message: text(e.message), id,
            remote: e.remote, own: Object.getOwnPropertyNames(e), stackLine: text(String(e.stack).split("\\n")[0]) };
        }
      };`;

defineTest({
  id: "bindings/not-entrypoint",
  title: "a binding to a function export or a class not extending WorkerEntrypoint (default or named) boots; every call and property read rejects with Error 'internal error; reference = <id>', fetch the same with remote, and none of the export's code runs",
  requirements: ["BIND-NOT-ENTRYPOINT"],
  arbitrary: fc.record({
    kind: fc.constantFrom("function" as const, "class" as const, "subclass" as const),
    exportName: fc.option(className, { nil: undefined }),
    member: memberName.filter((n) => n !== "fetch" && n !== "connect"),
    arg: jsonLikeValue,
  }),
  scenario({ kind, exportName, member, arg }) {
    const target =
      kind === "function"
        ? js`Object.assign(function (x) { ran.push("function"); return x; }, { [${member}](x) { ran.push("member"); return x; }, fetch() { ran.push("fetch"); return new Response("f"); } })`
        : js`class ${kind === "subclass" ? js`extends Base ` : js``}{
  constructor() { ${kind === "subclass" ? js`super(); ` : js``}ran.push("constructor"); }
  [${member}](x) { ran.push("member"); return x; }
  fetch() { ran.push("fetch"); return new Response("f"); }
}`;
    const callee = js`import { WorkerEntrypoint } from "cloudflare:workers";
const ran = [];
class Base { inherited() { ran.push("inherited"); } }
${exportName === undefined ? js`export default ${target};` : js`export const ${ident(exportName)} = ${target};\nexport default { fetch() { return new Response("default"); } };`}
export class Witness extends WorkerEntrypoint { ran() { return ran; } }`;
    const body = js`
      ${FAILURE_VIEW}
      const call = await failure(() => env.S[${member}](${value(arg)}));
      const get = await failure(() => env.S[${member}]);
      const fetched = await failure(() => env.S.fetch("http://callee.invalid/"));
      return respond({ call, get, fetched, ran: await env.W.ran() });`;
    return callerAndCallee({ callee, bare: true, entrypoint: exportName, probe: body, probeServices: [{ binding: "W", service: "callee", entrypoint: "Witness" }] });
  },
  check(_c, observed) {
    const failure = (remote: boolean) => ({
      instanceOfError: true,
      proto: true,
      name: "Error",
      message: "internal error; reference = <id>",
      id: true,
      ...(remote ? { remote: true, own: ["stack", "message", "remote"] } : { remote: undefined, own: ["stack", "message"] }),
      stackLine: "Error: internal error; reference = <id>",
    });
    expect(observed, "call, property read and fetch through the binding, and what of the export ran").to.deep.equal({
      call: failure(false),
      get: failure(false),
      fetched: failure(true),
      ran: [],
    });
  },
});

/** Wrong arguments to a binding's fetch() and connect(), and workerd's answer to each. */
const word = fc.stringMatching(/^[a-z]{1,10}$/);
const badFetchCall = fc.oneof(
  fc.constant({ kind: "fetch-no-arguments" as const, call: "env.S.fetch()" }),
  word.map((w) => ({ kind: "fetch-bad-url" as const, url: `${w} ${w}`, call: `env.S.fetch(${JSON.stringify(`${w} ${w}`)})` })),
  fc.integer({ min: -1000, max: 1000 }).map((n) => ({ kind: "fetch-bad-url" as const, url: String(n), call: `env.S.fetch(${n})` })),
  word.map((w) => ({ kind: "fetch-bad-url" as const, url: `/${w}`, call: `env.S.fetch(${JSON.stringify(`/${w}`)})` })),
  word.map((w) => ({ kind: "fetch-bad-method" as const, method: `${w} ${w}`, call: `env.S.fetch("http://x.invalid/", { method: ${JSON.stringify(`${w} ${w}`)} })` })),
  fc.constantFrom("GET", "get", "HEAD").map((m) => ({ kind: "fetch-body-on-get" as const, call: `env.S.fetch("http://x.invalid/", { method: "${m}", body: "b" })` })),
  fc.constantFrom("undefined", "null").map((v) => ({ kind: "fetch-bad-url" as const, url: v, call: `env.S.fetch(${v})` })),
  fc.constant({ kind: "fetch-symbol" as const, call: `env.S.fetch(Symbol("s"))` }),
  fc.constantFrom(`"init string"`, "42", "true").map((init) => ({ kind: "fetch-bad-init" as const, call: `env.S.fetch("http://x.invalid/", ${init})` })),
  fc.record({ scheme: fc.constantFrom("ftp", "ws", "wss"), w: word }).map(({ scheme, w }) => ({ kind: "fetch-bad-scheme" as const, url: `${scheme}://${w}.invalid/`, call: `env.S.fetch(${JSON.stringify(`${scheme}://${w}.invalid/`)})` })),
  fc.constant({ kind: "connect-no-arguments" as const, call: "env.S.connect()" }),
  word.map((w) => ({ kind: "connect-no-port" as const, call: `env.S.connect(${JSON.stringify(`${w}.example`)})` })),
  fc.constant({ kind: "connect-no-hostname" as const, call: `env.S.connect("")` }),
  word.map((w) => fc.constantFrom(":80", `${w}:abc`, `${w}:99999`)).chain((a) => a).map((address) => ({ kind: "connect-unparsable" as const, call: `env.S.connect(${JSON.stringify(address)})` })),
  fc.constantFrom("undefined", "null").map((v) => ({ kind: "connect-nullish" as const, call: `env.S.connect(${v})` })),
  word.map((w) => fc.constantFrom("{}", `{ hostname: ${JSON.stringify(w)} }`)).chain((a) => a).map((address) => ({ kind: "connect-port-not-integer" as const, call: `env.S.connect(${address})` })),
  word.map((w) => ({ kind: "connect-bad-options" as const, call: `env.S.connect(${JSON.stringify(`${w}.example:80`)}, 5)` })),
  word.map((w) => ({ kind: "connect-tls" as const, call: `env.S.connect(${JSON.stringify(`${w}.example:80`)}, { secureTransport: "on" })` })),
);

/** workerd's words for each kind of wrong argument (BIND-FETCH-ARGUMENTS). */
const CONNECT_MESSAGES = {
  "connect-no-arguments": "Failed to execute 'connect' on 'Fetcher': parameter 1 is not of type 'SocketAddress or string'.",
  "connect-no-port": "Specified address is missing port.",
  "connect-no-hostname": "Specified address is missing hostname.",
  "connect-unparsable": "Specified address could not be parsed.",
  "connect-nullish": "Cannot initialize N7workerd3api13SocketAddressE with required members from an undefined or null value.",
  "connect-port-not-integer": "The value cannot be converted because it is not an integer.",
  "connect-bad-options": "Failed to execute 'connect' on 'Fetcher': parameter 2 is not of type 'SocketOptions'.",
  "connect-tls": "Incoming CONNECT with TLS not supported",
} as const;

defineTest({
  id: "bindings/fetch-arguments",
  title: "fetch() on a binding with wrong arguments rejects (never throws) with workerd's TypeError, per profile; connect() with a bad address or options throws workerd's error synchronously",
  requirements: ["BIND-FETCH-ARGUMENTS"],
  arbitrary: badFetchCall,
  scenario(bad) {
    return callerAndCallee({
      callee: js`export default { fetch() { return new Response("reached"); } };`,
      bare: true,
      probe: js`return respond(await observe(() => ${code(bad.call)}));`,
    });
  },
  check(bad, o: Observed, profile) {
    const standardUrl = profile.compatibilityDate >= "2024-06-03";
    const message =
      bad.kind === "fetch-no-arguments"
        ? "Failed to execute 'fetch' on 'Fetcher': parameter 1 is not of type 'Request or string'."
        : bad.kind === "fetch-bad-url"
          ? `${standardUrl ? "Invalid URL" : "Fetch API cannot load"}: ${bad.url}`
          : bad.kind === "fetch-bad-method"
            ? `Invalid HTTP method string: ${bad.method}`
            : bad.kind === "fetch-body-on-get"
              ? "Request with a GET or HEAD method cannot have a body."
              : bad.kind === "fetch-symbol"
                ? "Cannot convert a Symbol value to a string"
                : bad.kind === "fetch-bad-init"
                  ? "Failed to execute 'fetch' on 'Fetcher': parameter 2 is not of type 'RequestInitializerDict or Request'."
                  : bad.kind === "fetch-bad-scheme"
                    ? `Fetch API cannot load: ${bad.url}`
                    : CONNECT_MESSAGES[bad.kind];
    const sync = bad.kind.startsWith("connect") ? { sync: true } : {};
    const error = bad.kind === "connect-tls" ? new Error(message) : new TypeError(message);
    expect({ ...o, error: o.ok ? undefined : observedEncoding(o.error) }, `${bad.call}: how it failed`).to.deep.equal({ ok: false, error: observedEncoding(error), ...sync });
  },
});

/** BIND-FETCH-STATUS-TEXT: workerd's reason phrases where they differ from the usual table (observed for 200–599). */
const REASON_PHRASES: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content", 226: "IM Used",
  301: "Moved Permanently", 302: "Found", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 404: "Not Found", 418: "I'm a teapot", 425: "Client Error", 429: "Too Many Requests", 451: "Unavailable For Legal Reasons",
  500: "Internal Server Error", 503: "Service Unavailable", 509: "Server Error", 511: "Network Authentication Required",
};
const CLASS_NAMES: Record<number, string> = { 2: "Successful", 3: "Redirection", 4: "Client Error", 5: "Server Error" };
/** Statuses with no standard phrase: the class name. */
const UNNAMED_STATUSES = [209, 250, 299, 306, 350, 399, 419, 420, 499, 512, 550, 599];

defineTest({
  id: "bindings/fetch-status-text",
  title: "the Response of fetch() on a binding has the callee's statusText when it gave one (\"\" included), else the status's reason phrase; an RPC-returned Response keeps \"\"",
  requirements: ["BIND-FETCH-STATUS-TEXT"],
  arbitrary: fc.record({
    status: fc.constantFrom(...Object.keys(REASON_PHRASES).map(Number), ...UNNAMED_STATUSES),
    given: fc.oneof(fc.constant(undefined), fc.constant(""), word),
    how: fc.constantFrom("fetch", "rpc"),
    // How the callee makes its Response: the given statusText (or its absence) carries through each.
    make: fc.constantFrom("constructor", "json", "clone", "response-as-init"),
  }),
  scenario({ status, given, how, make }) {
    const nullBody = [204, 205, 304].includes(status);
    const body = nullBody ? js`null` : js`"x"`;
    const init = js`{ status: ${status}${given === undefined ? js`` : js`, statusText: ${given}`} }`;
    const response = {
      constructor: js`new Response(${body}, ${init})`,
      json: nullBody ? js`new Response(${body}, ${init})` : js`Response.json({ a: 1 }, ${init})`,
      clone: js`new Response(${body}, ${init}).clone()`,
      "response-as-init": js`new Response(${body}, new Response(${body}, ${init}))`,
    }[make];
    const callee = js`import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint {
  fetch() { return ${response}; }
  give() { return ${response}; }
}`;
    const call = how === "fetch" ? js`env.S.fetch("http://x.invalid/")` : js`env.S.give()`;
    return callerAndCallee({ callee, bare: true, probe: js`const r = await ${call}; return respond({ status: r.status, statusText: r.statusText });` });
  },
  check({ status, given, how, make }, observed) {
    const phrase = REASON_PHRASES[status] ?? CLASS_NAMES[Math.floor(status / 100)];
    const statusText = given !== undefined ? given : how === "rpc" ? "" : phrase;
    expect(observed, `status ${status}, statusText ${given === undefined ? "not given" : JSON.stringify(given)}, made by ${make}, through ${how}`).to.deep.equal({ status, statusText });
  },
});

defineTest({
  id: "bindings/connect-socket",
  title: "connect() on a binding with a good address returns a Socket at once; with no connect handler on the target, opened and closed reject with workerd's error, its streams are closing, close() resolves",
  requirements: ["BIND-CONNECT-SOCKET"],
  arbitrary: fc.record({
    w: word,
    port: fc.oneof(fc.constantFrom(80, 443, 8080, 0), fc.integer({ min: 0, max: 65535 })),
    form: fc.constantFrom("string", "object", "ipv6"),
    target: fc.constantFrom("entrypoint", "object"),
  }).map(({ w, port, form, target }) => ({
    port,
    target,
    address: form === "string" ? JSON.stringify(`${w}.invalid:${port}`) : form === "ipv6" ? JSON.stringify(`[::1]:${port}`) : `{ hostname: ${JSON.stringify(`${w}.invalid`)}, port: ${port} }`,
  })),
  scenario({ address, target }) {
    const callee = target === "entrypoint"
      ? js`import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint { fetch() { return new Response("b"); } }`
      : js`export default { fetch() { return new Response("b"); } };`;
    const probe = js`
      const settle = (p) => Promise.resolve(p).then((v) => ({ resolved: v === undefined ? "undefined" : typeof v }), (e) => ({ rejected: String(e), isError: e instanceof Error, remote: e.remote === true, names: Object.getOwnPropertyNames(e).sort() }));
      const socket = env.S.connect(${code(address)});
      const shape = { type: typeof socket, then: typeof socket.then, ctor: socket.constructor.name, own: Reflect.ownKeys(socket).length, isObject: socket instanceof Object, upgraded: socket.upgraded, secureTransport: socket.secureTransport };
      const opened = await settle(socket.opened);
      const closed = await settle(socket.closed);
      if (typeof socket.then === "function") socket.then(() => {}, () => {});
      const close = typeof socket.close === "function" ? await settle(socket.close()) : { missing: "close" };
      return respond({ shape, opened, closed, close });`;
    return callerAndCallee({ callee, bare: true, probe });
  },
  check({ address, port }, observed) {
    const text = "Error: proxy request failed, cannot connect to the specified address";
    const hint = ". It looks like you might be trying to connect to a HTTP-based service — consider using fetch instead";
    const failure = { rejected: port === 80 || port === 443 ? text + hint : text, isError: true, remote: false, names: ["message", "stack"] };
    expect(observed, `connect(${address})`).to.deep.equal({
      shape: { type: "object", then: "undefined", ctor: "Socket", own: 0, isObject: true, upgraded: false, secureTransport: "off" },
      opened: failure,
      closed: failure,
      close: { resolved: "undefined" },
    });
  },
});
