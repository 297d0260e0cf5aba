import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const seed = input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[\"\\ud800\"]}]}"), args = input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}");
      const onTarget = await observe(() => env.S["A"](seed)["_"](...args));
      const onObject = await observe(() => env.S["a"](seed)["_"](...args));
      return respond({ onTarget, onObject });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};