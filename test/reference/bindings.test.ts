import { expect } from "chai";
import { bootPair, err, ok } from "./helpers.ts";
import type { Pair } from "./helpers.ts";

describe("reference: binding configuration (spec/bindings.md)", () => {
  let pair: Pair;
  before(async () => {
    pair = await bootPair({
      server: `const handler = Object.create({ inherited(x) { return "no"; } });
Object.assign(handler, {
  fetch(request, env) { return new Response("object " + request.method); },
  m(x, env, ctx) { return { x, v: env.V, props: ctx.props, self: this === handler, count: arguments.length }; },
  data: 5,
});
export default handler;`,
      serverVars: { V: "vee" },
      services: [{ binding: "O", service: "server", props: { k: 1 } }],
      probes: {
        fetch: `async (env) => (await env.O.fetch("http://o/", { method: "PUT" })).text()`,
        call: `(env) => env.O.m([1])`,
        none: `(env) => env.O.m()`,
        two: `(env) => env.O.m(1, 2)`,
        inherited: `(env) => env.O.inherited(1)`,
        data: `(env) => env.O.data(1)`,
        read: `async (env) => await env.O.data`,
      },
    });
  });
  after(() => pair.dispose());

  it("BIND-DEFAULT-OBJECT: fetch and one-argument RPC reach a plain-object default export", async () => {
    expect(ok(await pair.probe("fetch"))).to.equal("object PUT");
    expect(ok(await pair.probe("call"))).to.deep.equal({ x: [1], v: "vee", props: { k: 1 }, self: true, count: 3 });
    expect(ok(await pair.probe("read"))).to.equal(5);
  });

  it("BIND-DEFAULT-OBJECT: wrong arity, inherited names and non-functions reject as on workerd", async () => {
    for (const name of ["none", "two"]) expect(err(await pair.probe(name)).message).to.match(/^Attempted to call RPC function "m" with the wrong number of arguments\./);
    expect(err(await pair.probe("inherited")).message).to.equal('The RPC receiver does not implement the method "inherited".');
    expect(err(await pair.probe("data")).message).to.equal('"data" is not a function.');
  });
});
