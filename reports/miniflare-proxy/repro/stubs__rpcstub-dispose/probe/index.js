import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
import { RpcStub } from "cloudflare:workers";
export default {
  async fetch(request, env, ctx) {
    try {

      let disposed = 0;
      const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
      const s = new RpcStub({ ["$"]() { return input("\"\""); }, [Symbol.dispose]() { disposed++; } });
      const before = await observe(() => s["$"]());
      const dups = Array.from({ length: 0 }, () => s.dup());
      s[Symbol.dispose]();
      await settle();
      const afterFirst = disposed;
      const disposedUse = await observe(() => s["$"]());
      const dupUses = [];
      for (const d of dups) dupUses.push(await observe(() => d["$"]()));
      for (const d of dups) d[Symbol.dispose]();
      await settle();
      return respond({ before, afterFirst, disposedUse, dupUses, afterAll: disposed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};