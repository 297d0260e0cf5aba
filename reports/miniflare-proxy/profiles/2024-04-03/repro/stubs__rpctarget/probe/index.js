import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {
const t = await env.S["$"](); const use = async (t, args) => ({
        kind: typeof t,
        method: await observe(() => t["_"](...args)),
        getter: await observe(() => t["a"]),
        fetch: await observe(() => t.fetch(...args)),
        fieldCall: await observe(() => t["aa"]()),
        fieldRead: await observe(() => t["aa"]),
        ownCall: await observe(() => t.hits()),
        missing: await observe(() => t["aA"]()),
      }); return respond(await observe(() => use(t, input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}"))));
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};