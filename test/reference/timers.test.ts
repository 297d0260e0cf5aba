import { expect } from "chai";
import { bootPair, ok } from "./helpers.ts";

// Node keeps one list of timers per duration and, when its event loop is late, runs every expired
// timer of one list before the next. Worker timers must not inherit that: on workerd they run in
// the order they fall due, and code resumed by a later timer may rely on an earlier one having run.
const SERVER = `
import { WorkerEntrypoint } from "cloudflare:workers";
export class Named extends WorkerEntrypoint {
  order() {
    return new Promise((resolve) => {
      const log = [];
      setTimeout(() => log.push("a, due at 250"), 250); // heads the host's 250 ms list
      setTimeout(() => {
        setTimeout(() => log.push("b, due at 255"), 245);
        setTimeout(() => log.push("c, due at 260"), 250); // joins the 250 ms list, behind a
        const end = Date.now() + 600;
        while (Date.now() < end) {} // the host is late for all three
      }, 10);
      setTimeout(() => resolve(log), 900);
    });
  }
  microtasks() {
    return new Promise((resolve) => {
      const log = [];
      setTimeout(() => { log.push("first"); Promise.resolve().then(() => log.push("first's microtask")); }, 5);
      setTimeout(() => log.push("second"), 5);
      setTimeout(() => resolve(log), 50);
    });
  }
}
export default { fetch() { return new Response(""); } };
`;

/** What the probe `name` (a call of the method of that name) answers. */
async function answer(name: string): Promise<unknown> {
  const pair = await bootPair({ server: SERVER, probes: { [name]: `async (env) => env.S.${name}()` } });
  try {
    return ok(await pair.probe(name));
  } finally {
    await pair.dispose();
  }
}

describe("reference: worker timers", () => {
  it("run in the order they fall due, even when the host's event loop is late", async () => {
    expect(await answer("order")).to.deep.equal(["a, due at 250", "b, due at 255", "c, due at 260"]);
  });

  it("drain each callback's microtasks before the next callback runs", async () => {
    expect(await answer("microtasks")).to.deep.equal(["first", "first's microtask", "second"]);
  });
});
