import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
import { observe } from "./harness.js";
export class A extends WorkerEntrypoint {
  async ["$"](received) {
    if (received === undefined) return this.env.BOUND;
    const use = async (b) => ({
        call: await observe(() => b["$$"](input("\"\""))),
        read: await observe(() => b["A"]),
        fetch: await observe(async () => (await b.fetch("http://host/")).text()),
      });
    return await use(received);
  }
}