import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
import { RpcStub } from "cloudflare:workers";
export default {
  async fetch(request, env, ctx) {
    try {

      let disposed = 0;
      const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
      const s = new RpcStub({ ["_"]() { return input("\"\\ud800\""); }, [Symbol.dispose]() { disposed++; } });
      const before = await observe(() => s["_"]());
      const dups = Array.from({ length: 0 }, () => s.dup());
      s[Symbol.dispose]();
      await settle();
      const afterFirst = disposed;
      const disposedUse = await observe(() => s["_"]());
      const dupUses = [];
      for (const d of dups) dupUses.push(await observe(() => d["_"]()));
      for (const d of dups) d[Symbol.dispose]();
      await settle();
      return respond({ before, afterFirst, disposedUse, dupUses, afterAll: disposed });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};