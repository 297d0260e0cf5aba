import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
import { observe } from "./harness.js";
export class A extends WorkerEntrypoint {
  async ["a"](received) {
    if (received === undefined) return this.env.BOUND;
    const use = async (b) => ({
        call: await observe(() => b["A"](input("\"\""))),
        read: await observe(() => b["_"]),
        fetch: await observe(async () => (await b.fetch("http://host/")).text()),
      });
    return await use(received);
  }
}