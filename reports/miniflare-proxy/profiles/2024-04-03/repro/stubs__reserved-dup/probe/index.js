import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const t = env.S["$"]();
      const dup = await observe(async () => env.S["$"]().dup());
      const other = await observe(() => env.S["$"]()["alarm"](...input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")));
      const stubOther = await observe(async () => (await t)["_"]["alarm"](...input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")));
      return respond({ dup, remote: dup.ok ? undefined : dup.error?.remote, other, stubOther, dupRuns: await env.S["a"]() });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};