import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const seed = input("\"\""), args = input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[\"\\ud800\"]}");
      const onTarget = await observe(() => env.S["_"](seed)["$"](...args));
      const onObject = await observe(() => env.S["$$"](seed)["$"](...args));
      return respond({ onTarget, onObject });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};