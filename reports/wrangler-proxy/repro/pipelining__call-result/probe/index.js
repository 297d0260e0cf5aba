import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const seed = input("\"\""), args = input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}");
      const called = await observe(() => env.S["a"](seed)(...args));
      const notFunction = await observe(() => env.S["aa"]()(...args));
      const stubCalled = null;
      return respond({ called, notFunction, stubCalled });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};