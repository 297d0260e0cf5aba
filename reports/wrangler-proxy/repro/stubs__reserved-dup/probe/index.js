import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const t = env.S["a"]();
      const dup = await observe(async () => env.S["a"]().dup());
      const other = await observe(() => env.S["a"]()["alarm"](...input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")));
      const stubOther = await observe(async () => (await t)["aa"]["alarm"](...input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")));
      return respond({ dup, remote: dup.ok ? undefined : dup.error?.remote, other, stubOther, dupRuns: await env.S["ab"]() });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};