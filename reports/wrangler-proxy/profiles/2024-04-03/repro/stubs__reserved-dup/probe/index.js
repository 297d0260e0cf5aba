import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const t = env.S["_"]();
      const dup = await observe(async () => env.S["_"]().dup());
      const other = await observe(() => env.S["_"]()["alarm"](...input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")));
      const stubOther = await observe(async () => (await t)["A"]["alarm"](...input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")));
      return respond({ dup, remote: dup.ok ? undefined : dup.error?.remote, other, stubOther, dupRuns: await env.S["a"]() });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};