import { expect } from "chai";
import { startScenario } from "../../reference/index.ts";
import { WaitUntilTracker } from "../../reference/rpc/context.ts";
import { bootPair, clientSource, ok, worker } from "./helpers.ts";

const SERVER = `
import { WorkerEntrypoint, waitUntil } from "cloudflare:workers";
const log = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export class Named extends WorkerEntrypoint {
  later() {
    this.ctx.waitUntil(sleep(20).then(() => log.push("ctx")));
    return "returned";
  }
  moduleLevel() {
    waitUntil(sleep(20).then(() => log.push("module")));
    return "returned";
  }
  failing() {
    this.ctx.waitUntil(Promise.reject(new Error("background failure")));
    return "returned";
  }
  shape() {
    return [typeof this.ctx.waitUntil, typeof this.ctx.passThroughOnException, this.ctx.passThroughOnException(), Object.keys(this.ctx)];
  }
  log() { return log.slice(); }
}
export default { fetch() { return new Response(""); } };
`;

describe("reference: ctx and waitUntil", () => {
  it("gives ctx waitUntil, passThroughOnException and props", async () => {
    const pair = await bootPair({ server: SERVER, probes: { shape: "async (env) => env.S.shape()" } });
    try {
      // passThroughOnException() returns undefined, which JSON carries as null inside an array.
      expect(ok(await pair.probe("shape"))).to.deep.equal(["function", "function", null, ["props"]]);
    } finally {
      await pair.dispose();
    }
  });

  it("keeps waitUntil work running after the method returned", async () => {
    const pair = await bootPair({
      server: SERVER,
      probes: {
        start: "async (env) => [await env.S.later(), await env.S.moduleLevel(), await env.S.log()]",
        log: "async (env) => env.S.log()",
      },
    });
    try {
      expect(ok(await pair.probe("start"))).to.deep.equal(["returned", "returned", []]);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(ok(await pair.probe("log"))).to.have.members(["ctx", "module"]);
    } finally {
      await pair.dispose();
    }
  });

  it("logs a rejected waitUntil promise instead of failing the host", async () => {
    const pair = await bootPair({ server: SERVER, probes: { failing: "async (env) => env.S.failing()" } });
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      expect(ok(await pair.probe("failing"))).to.equal("returned");
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      console.error = original;
      await pair.dispose();
    }
    expect(String(logged[0]?.[0])).to.include('worker "server": a waitUntil promise rejected');
  });

  it("dispose() waits for pending waitUntil work, briefly", async () => {
    let finished = false;
    const tracker = new WaitUntilTracker();
    tracker.track("w", new Promise((resolve) => setTimeout(resolve, 30)).then(() => (finished = true)));
    await tracker.drain(1000);
    expect(finished).to.equal(true);
    tracker.track("w", new Promise(() => {})); // never settles
    const started = Date.now();
    await tracker.drain(50);
    expect(Date.now() - started).to.be.lessThan(500);
    expect(tracker.pendingCount).to.equal(1);
  });

  it("dispose() clears timers a worker left behind", async () => {
    const scenario = await startScenario([
      {
        name: "w",
        main: "index.js",
        modules: { "index.js": `let ticks = 0; export default { fetch() { setInterval(() => ticks++, 1); return new Response(""); } };` },
        compatibilityDate: "2024-04-03",
        compatibilityFlags: [],
        vars: {},
        services: [],
      },
    ]);
    await scenario.fetch("w", new Request("http://w/"));
    await scenario.dispose(); // mocha would hang on exit if the interval survived
    await scenario.dispose(); // and a second dispose is harmless
  });

  it("gives each call its own ctx, and keeps other waitUntil work when one promise rejects", async () => {
    const server = `import { WorkerEntrypoint } from "cloudflare:workers";
const done = [];
export class Named extends WorkerEntrypoint {
  mark() { const seen = this.ctx.mark; this.ctx.mark = 1; return seen ?? null; }
  mixed() {
    this.ctx.waitUntil(Promise.reject(new Error("early")));
    this.ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, 15)).then(() => done.push("late")));
    return "returned";
  }
  done() { return done.slice(); }
}`;
    const pair = await bootPair({ server, probes: { marks: "async (env) => [await env.S.mark(), await env.S.mark()]", mixed: "async (env) => env.S.mixed()", done: "async (env) => env.S.done()" } });
    const original = console.error;
    console.error = () => {};
    try {
      expect(ok(await pair.probe("marks"))).to.deep.equal([null, null]);
      expect(ok(await pair.probe("mixed"))).to.equal("returned");
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(ok(await pair.probe("done"))).to.deep.equal(["late"]);
    } finally {
      console.error = original;
      await pair.dispose();
    }
  });

  it("provides ctx.exports (loopback bindings) only when enable_ctx_exports is on", async () => {
    const server = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Other extends WorkerEntrypoint { who() { return "Other"; } }
export class Named extends WorkerEntrypoint {
  async viaExports() { return this.ctx.exports === undefined ? "absent" : [Object.keys(this.ctx.exports), await this.ctx.exports.Other.who()]; }
}
export default { fetch() { return new Response(""); } };`;
    const probes = { via: "async (env) => env.S.viaExports()" };
    const services = [{ binding: "S", service: "server", entrypoint: "Named" }];
    for (const [date, flags, expected] of [
      ["2024-04-03", [], "absent"],
      ["2025-11-17", [], [["default", "Named", "Other"], "Other"]],
      ["2024-04-03", ["enable_ctx_exports"], [["default", "Named", "Other"], "Other"]],
      ["2026-01-01", ["disable_ctx_exports"], "absent"],
    ] as const) {
      const scenario = await startScenario([
        worker("client", clientSource(probes), { services, compatibilityDate: date }),
        worker("server", server, { compatibilityDate: date, compatibilityFlags: [...flags] }),
      ]);
      try {
        const response = await scenario.fetch("client", new Request("http://client/via"));
        expect(ok((await response.json()) as never), `${date} ${flags.join(",")}`).to.deep.equal(expected);
      } finally {
        await scenario.dispose();
      }
    }
  });
});
