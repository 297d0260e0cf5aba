/** Conformance tests for spec/entrypoints.md. */
import * as fc from "fast-check";
import { expect } from "chai";
import { defineTest } from "../engine/define.ts";
import { className, distinct, envKey, memberName } from "../arbitraries/names.ts";
import { argumentValue, jsonLikeContainer, jsonLikeValue, wellFormedString } from "../arbitraries/values.ts";
import { apiTags, callerAndCallee, code, expectRpcError, expectValue, ident, js, json, lines, notImplemented, type Observed, value } from "./support.ts";


defineTest({
  id: "entrypoints/public-methods",
  title: "public methods of a WorkerEntrypoint class, sync or async, are callable and resolve to their result",
  requirements: ["ENTRY-CLASS-EXPORT", "ENTRY-SYNC-ASYNC"],
  arbitrary: fc.record({
    cls: className,
    methods: distinct(memberName, 1, 5).chain((names) =>
      fc.tuple(...names.map((name) => fc.record({ name: fc.constant(name), isAsync: fc.boolean(), result: jsonLikeValue }))),
    ),
  }),
  scenario({ cls, methods }) {
    const members = lines(methods.map((m) => js`  ${m.isAsync ? js`async ` : js``}[${m.name}]() { return ${value(m.result)}; }`));
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n${members}\n}`,
      entrypoint: cls,
      probe: js`const out = [];
           for (const name of ${json(methods.map((m) => m.name))}) {
             let thenable = false;
             const result = await observe(() => { const p = env.S[name](); thenable = typeof p?.then === "function"; return p; });
             out.push({ thenable, result });
           }
           return respond(out);`,
    });
  },
  check({ methods }, out: { thenable: boolean; result: Observed }[]) {
    methods.forEach((m, i) => {
      const what = `${m.isAsync ? "async" : "sync"} method "${m.name}"`;
      expect(out[i]!.thenable, `${what}: the call must return a thenable`).to.equal(true);
      expect(expectValue(out[i]!.result, what), `${what}: result`).to.deep.equal(m.result);
    });
  },
});

defineTest({
  id: "entrypoints/arguments",
  title: "a method receives exactly the caller's arguments",
  requirements: ["ENTRY-ARGUMENTS"],
  arbitrary: fc.record({ cls: className, method: memberName, args: fc.array(argumentValue, { maxLength: 6 }) }),
  scenario({ cls, method, args }) {
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { return { count: arguments.length, args: Array.from(arguments) }; }\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}](...${value(args)})));`,
    });
  },
  check({ args }, observed: Observed<{ count: number; args: unknown[] }>) {
    const value = expectValue(observed, "call");
    expect(value.count, "arguments.length inside the method").to.equal(args.length);
    expect(value.args, "arguments inside the method").to.deep.equal(args);
  },
});

defineTest({
  id: "entrypoints/new-instance",
  title: "every call through a binding constructs a new instance",
  requirements: ["ENTRY-NEW-INSTANCE"],
  arbitrary: fc.record({ cls: className, methods: distinct(memberName, 1, 3), calls: fc.integer({ min: 2, max: 6 }) }),
  scenario({ cls, methods, calls }) {
    const members = lines(methods.map((m) => js`  [${m}]() { return this.serial; }`));
    return callerAndCallee({
      callee: js`let constructed = 0;\nexport class ${ident(cls)} extends WorkerEntrypoint {\n  constructor(ctx, env) { super(ctx, env); this.serial = ++constructed; }\n${members}\n}`,
      entrypoint: cls,
      probe: js`const names = ${json(methods)}; const out = [];
           for (let i = 0; i < ${calls}; i++) out.push(await observe(() => env.S[names[i % names.length]]()));
           return respond(out);`,
    });
  },
  check(_c, observed: Observed<number>[]) {
    const serials = observed.map((o, i) => expectValue(o, `call ${i + 1}`));
    expect(new Set(serials).size, `instance serial numbers seen by successive calls: ${serials.join(", ")}`).to.equal(serials.length);
  },
});

defineTest({
  id: "entrypoints/stateless",
  title: "state stored on the instance by one call is not seen by the next",
  requirements: ["ENTRY-STATELESS"],
  // The field must not be the method's own name (reading it would find the method itself).
  arbitrary: fc
    .record({ cls: className, method: memberName, field: memberName, calls: fc.integer({ min: 2, max: 5 }) })
    .filter(({ method, field }) => method !== field),
  scenario({ cls, method, field, calls }) {
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n  [${method}]() { const f = ${field}; this[f] = (this[f] ?? 0) + 1; return this[f]; }\n}`,
      entrypoint: cls,
      probe: js`const out = []; for (let i = 0; i < ${calls}; i++) out.push(await observe(() => env.S[${method}]())); return respond(out);`,
    });
  },
  check(_c, observed: Observed[]) {
    const counts = observed.map((o, i) => expectValue(o, `call ${i + 1}`));
    expect(counts, "the field each call found already set (1 means a fresh instance)").to.deep.equal(counts.map(() => 1));
  },
});

defineTest({
  id: "entrypoints/constructor",
  title: "the constructor receives (ctx, env) and super() exposes them as this.ctx and this.env",
  requirements: ["ENTRY-CONSTRUCTOR"],
  arbitrary: fc.record({ cls: className, method: memberName, explicitConstructor: fc.boolean(), varName: envKey, varValue: wellFormedString }),
  scenario({ cls, method, explicitConstructor, varName, varValue }) {
  const ctor = explicitConstructor
    ? js`  constructor(ctx, env) { super(ctx, env); this.seen = { argc: arguments.length, sameCtx: this.ctx === ctx, sameEnv: this.env === env, envVar: env?.[${varName}], waitUntil: typeof ctx?.waitUntil }; }\n`
    : js``;
  const body = explicitConstructor
    ? js`return { ...this.seen, thisEnvVar: this.env[${varName}] };`
    : js`return { thisEnvVar: this.env[${varName}], waitUntil: typeof this.ctx.waitUntil };`;
  return callerAndCallee({
    callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n${ctor}  [${method}]() { ${body} }\n}`,
    calleeVars: { [varName]: varValue },
    entrypoint: cls,
    probe: js`return respond(await observe(() => env.S[${method}]()));`,
  });
  },
  check({ explicitConstructor, varValue }, observed: Observed<Record<string, unknown>>) {
    const seen = expectValue(observed, "call");
    expect(seen.thisEnvVar, "this.env carries the callee's vars").to.equal(varValue);
    if (explicitConstructor) {
      expect(seen.argc, "constructor arguments.length").to.equal(2);
      expect(seen.envVar, "the constructor's second argument is env").to.equal(varValue);
      expect(seen.waitUntil, "the constructor's first argument is ctx (has waitUntil)").to.equal("function");
      expect(seen.sameCtx, "this.ctx === ctx after super(ctx, env)").to.equal(true);
      expect(seen.sameEnv, "this.env === env after super(ctx, env)").to.equal(true);
    } else {
      expect(seen.waitUntil, "this.ctx.waitUntil without an explicit constructor").to.equal("function");
    }
  },
});

/** What the callee's base constructor returns in entrypoints/constructor-result ("none": nothing, the instance itself). */
const RETURNED = {
  none: "undefined",
  array: `["a", "b"]`,
  class: "new Other()",
  rpcTarget: "new OtherTarget()",
  entrypoint: "new OtherEntrypoint(ctx, env)",
  object: "ownMembers",
} as const;

defineTest({
  id: "entrypoints/constructor-result",
  title: "a constructor that returns another object makes it the receiver: names are looked up on its prototype chain, never its own properties",
  requirements: ["ENTRY-CONSTRUCTOR-RESULT", "VIS-OWN-PROPERTIES"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName.filter((n) => !(n in Array.prototype)), 2, 2),
    returned: fc.constantFrom(...(Object.keys(RETURNED) as (keyof typeof RETURNED)[])),
  }),
  scenario({ cls, names: [own, other], returned }) {
    const callee = js`class Other { [${other!}]() { return ["other", this instanceof Other]; } }
class OtherTarget extends RpcTarget { [${other!}]() { return ["other", this instanceof OtherTarget]; } }
class OtherEntrypoint extends WorkerEntrypoint { [${other!}]() { return ["other", this instanceof OtherEntrypoint]; } }
class Base extends WorkerEntrypoint {
  constructor(ctx, env) {
    super(ctx, env);
    const ownMembers = { [${own!}]: () => "own property", [${other!}]: () => "own property" };
    return ${code(RETURNED[returned])};
  }
}
export class ${ident(cls)} extends Base {
  [${own!}]() { return ["own", this instanceof ${ident(cls)}]; }
}`;
    return callerAndCallee({
      callee,
      targets: true,
      entrypoint: cls,
      probe: js`return respond({
        own: await observe(() => env.S[${own!}]()),
        other: await observe(() => env.S[${other!}]()),
        join: await observe(() => env.S.join("+")),
        readOther: await observe(async () => typeof (await env.S[${other!}])),
      });`,
    });
  },
  check({ names: [own, other], returned }, observed: Record<"own" | "other" | "join" | "readOther", Observed>) {
    const receiverClass = returned === "class" || returned === "rpcTarget" || returned === "entrypoint";
    const expectations: [keyof typeof observed, string, unknown][] = [
      ["own", own!, returned === "none" ? ["own", true] : undefined],
      ["other", other!, receiverClass ? ["other", true] : undefined],
      ["join", "join", returned === "array" ? "a+b" : undefined],
      ["readOther", other!, receiverClass ? "function" : undefined],
    ];
    for (const [step, name, value] of expectations) {
      const what = `constructor returned ${returned}: ${step === "readOther" ? `await env.S.${name}` : `env.S.${name}()`}`;
      if (value === undefined) expectRpcError(observed[step], what, "TypeError", notImplemented(name));
      else expect(expectValue(observed[step], what), `${what}: the receiver's method ran with the receiver as this`).to.deep.equal(value);
    }
  },
});

defineTest({
  id: "entrypoints/fetch",
  title: "binding.fetch() delivers a Request to the entrypoint's fetch handler and returns its Response",
  requirements: ["ENTRY-FETCH"],
  arbitrary: fc.record({
    cls: className,
    method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
    path: fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 3 }).map((p) => "/" + p.join("/")),
    header: fc.stringMatching(/^[A-Za-z0-9 ]{0,16}$/).map((s) => s.trim()),
    status: fc.integer({ min: 200, max: 599 }).filter((s) => ![204, 205, 304].includes(s)),
  }),
  scenario({ cls, method, path, header, status }) {
    const handler = js`  fetch(request) {
    return new Response(JSON.stringify({ isRequest: request instanceof Request, method: request.method, url: request.url, header: request.headers.get("x-probe") }), { status: ${status} });
  }`;
    return callerAndCallee({
      callee: js`export class ${ident(cls)} extends WorkerEntrypoint {\n${handler}\n}`,
      entrypoint: cls,
      probe: js`return respond(await observe(async () => {
             const response = await env.S.fetch(${"https://callee.example" + path}, { method: ${method}, headers: { "x-probe": ${header} } });
             return { isResponse: response instanceof Response, status: response.status, body: JSON.parse(await response.text()) };
           }));`,
    });
  },
  check({ method, path, header, status }, observed: Observed<{ isResponse: boolean; status: number; body: Record<string, unknown> }>) {
    const value = expectValue(observed, "env.S.fetch()");
    expect(value.isResponse, "fetch() resolves to a Response").to.equal(true);
    expect(value.status, "response status").to.equal(status);
    // workerd passes (request, undefined, undefined) to a class's fetch; only the request is specified.
    expect(value.body, "what the fetch handler saw").to.deep.equal({
      isRequest: true,
      method,
      url: "https://callee.example" + path,
      header,
    });
  },
});

defineTest({
  id: "entrypoints/fetch-missing-handler",
  title: "binding.fetch() to an entrypoint without a fetch handler rejects; its methods still work",
  requirements: ["ENTRY-FETCH-MISSING-HANDLER"],
  arbitrary: fc.record({
    cls: className,
    base: fc.option(className, { nil: undefined }),
    method: memberName,
    result: jsonLikeValue,
    httpMethod: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
    path: fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 3 }).map((p) => "/" + p.join("/")),
  }),
  scenario({ cls, base, method, result, httpMethod, path }) {
    // With `base`, the method lives on a user superclass that has no fetch either.
    const parent = base !== undefined && base !== cls ? base : undefined;
    const member = js`  [${method}]() { return ${value(result)}; }`;
    const source = parent
      ? js`class ${ident(parent)} extends WorkerEntrypoint {\n${member}\n}\nexport class ${ident(cls)} extends ${ident(parent)} {}`
      : js`export class ${ident(cls)} extends WorkerEntrypoint {\n${member}\n}`;
    const init = httpMethod === "GET" || httpMethod === "DELETE" ? js`{ method: ${httpMethod} }` : js`{ method: ${httpMethod}, body: "payload" }`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`const fetched = await observe(async () => { const r = await env.S.fetch(${"https://callee.example" + path}, ${init}); return { status: r.status }; });
           const called = await observe(() => env.S[${method}]());
           return respond({ fetched, called });`,
    });
  },
  check({ result }, o: { fetched: Observed & { error?: { remote?: unknown } }; called: Observed }) {
    expectRpcError(o.fetched, "env.S.fetch() without a fetch handler", "Error", "Handler does not export a fetch() function.");
    expect(o.fetched.error?.remote, "remote on the rejection").to.equal(true);
    expect(expectValue(o.called, "the entrypoint's method"), "method result").to.deep.equal(result);
  },
});

defineTest({
  id: "entrypoints/returned-thenable",
  title: "a custom thenable returned by a method is awaited in the callee; the call yields its value or rejects with its reason",
  requirements: ["ENTRY-RETURNED-THENABLE"],
  arbitrary: fc.record({
    cls: className,
    method: memberName,
    // One entry per level of nesting, outermost first: does that level settle at once or after a timer?
    levels: fc.array(fc.constantFrom("sync", "timer"), { minLength: 1, maxLength: 3 }),
    outcome: fc.oneof(
      fc.record({ fulfil: fc.constant(true as const), value: jsonLikeValue }),
      fc.record({
        fulfil: fc.constant(false as const),
        errorClass: fc.constantFrom("Error", "TypeError", "RangeError"),
        // No edge whitespace: the 2024-04-03 error format trims it (ERR-MESSAGE covers messages).
        message: fc.stringMatching(/^[A-Za-z0-9.,]([A-Za-z0-9 .,]{0,18}[A-Za-z0-9.,])?$/),
      }),
    ),
  }),
  scenario({ cls, method, levels, outcome }) {
    const settle = outcome.fulfil
      ? js`(resolve) => resolve(${value(outcome.value)})`
      : js`(resolve, reject) => reject(new ${ident(outcome.errorClass)}(${outcome.message}))`;
    const source = js`function thenable(timing, body) {
  // A thenable that is not a Promise: an object with a then method.
  return { then(resolve, reject) { if (timing === "timer") setTimeout(() => body(resolve, reject), 5); else body(resolve, reject); } };
}
export class ${ident(cls)} extends WorkerEntrypoint {
  [${method}]() {
    const levels = ${json(levels)};
    let body = ${settle};
    for (let i = levels.length - 1; i > 0; i--) { const inner = thenable(levels[i], body); body = (resolve) => resolve(inner); }
    return thenable(levels[0], body);
  }
}`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}]()));`,
    });
  },
  check({ outcome }, observed) {
    if (outcome.fulfil) expect(expectValue(observed, "call returning a thenable"), "the thenable's value").to.deep.equal(outcome.value);
    else expectRpcError(observed, "call returning a rejecting thenable", outcome.errorClass, outcome.message);
  },
});

/** A plain object generated for the tests that pass their own ctx/env to a constructor. */
const plainObject = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), jsonLikeValue, { maxKeys: 3, noNullPrototype: true });

defineTest({
  id: "entrypoints/instanceof",
  title: "this instanceof WorkerEntrypoint holds, and user code can construct an entrypoint and call it locally",
  requirements: ["ENTRY-INSTANCEOF"],
  arbitrary: fc.record({
    cls: className,
    names: distinct(memberName, 2, 2),
    fakeCtx: plainObject,
    fakeEnv: plainObject,
    arg: jsonLikeContainer,
    notObject: fc.constantFrom("undefined", "null", "1", '"x"', "true", "Symbol()", "1n"),
  }),
  scenario({ cls, names: [probeName, echo], fakeCtx, fakeEnv, arg, notObject }) {
    const source = js`export class ${ident(cls)} extends WorkerEntrypoint {
  [${echo}](x) { return x; }
  [${probeName}]() {
    const ctx = ${value(fakeCtx)}, env = ${value(fakeEnv)}, arg = ${value(arg)};
    const local = new ${ident(cls)}(ctx, env);
    const result = local[${echo}](arg);
    return {
      remoteIsEntrypoint: this instanceof WorkerEntrypoint,
      localIsEntrypoint: local instanceof WorkerEntrypoint,
      sameCtx: local.ctx === ctx,
      sameEnv: local.env === env,
      thenable: typeof result?.then === "function",
      sameObject: result === arg,
      refused: [() => new ${ident(cls)}(), () => new ${ident(cls)}(${code(notObject)}, env), () => new ${ident(cls)}(ctx), () => new ${ident(cls)}(ctx, ${code(notObject)}), () => new ${ident(cls)}(() => 1, env)].map((make) => {
        try { make(); return "constructed"; } catch (e) { return (e instanceof TypeError ? "TypeError: " : "other: ") + e.message; }
      }),
    };
  }
}`;
    return callerAndCallee({
      callee: source,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${probeName}]()));`,
    });
  },
  check(_c, observed) {
    expect(expectValue(observed, "call"), "inside the callee").to.deep.equal({
      remoteIsEntrypoint: true,
      localIsEntrypoint: true,
      sameCtx: true,
      sameEnv: true,
      thenable: false,
      sameObject: true,
      refused: [1, 1, 2, 2, 0].map((n) => (n === 0 ? "constructed" : `TypeError: Failed to construct 'WorkerEntrypoint': constructor parameter ${n} is not of type 'Object'.`)),
    });
  },
});

defineTest({
  id: "entrypoints/string-tag",
  title: "under set_tostring_tag an entrypoint reads [object WorkerEntrypoint] and an RpcTarget carries a tag; before it, neither does",
  requirements: ["ENTRY-STRING-TAG"],
  arbitrary: fc.record({ cls: className, method: memberName, target: className }),
  scenario({ cls, method, target }) {
    const callee = js`import { RpcTarget } from "cloudflare:workers";
class ${ident(target)}X extends RpcTarget {}
export class ${ident(cls)} extends WorkerEntrypoint {
  ${ident(method)}() {
    const t = new ${ident(target)}X();
    const d = Object.getOwnPropertyDescriptor(WorkerEntrypoint.prototype, Symbol.toStringTag);
    return {
      self: Object.prototype.toString.call(this),
      selfHas: Symbol.toStringTag in this,
      descriptor: d === undefined ? null : { value: d.value, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable },
      targetHas: Symbol.toStringTag in t,
      targetTagType: typeof t[Symbol.toStringTag],
    };
  }
}`;
    return callerAndCallee({
      callee,
      entrypoint: cls,
      probe: js`return respond(await observe(() => env.S[${method}]()));`,
    });
  },
  check(_c, observed, profile) {
    const tagged = apiTags(profile);
    const want = tagged
      ? { self: "[object WorkerEntrypoint]", selfHas: true, descriptor: { value: "WorkerEntrypoint", writable: true, enumerable: false, configurable: true }, targetHas: true, targetTagType: "string" }
      : { self: "[object Object]", selfHas: false, descriptor: null, targetHas: false, targetTagType: "undefined" };
    expect(expectValue(observed, "call"), "the entrypoint's and an RpcTarget's string tags as the callee sees them").to.deep.equal(want);
  },
});
