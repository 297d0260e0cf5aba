import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const seed = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"\\ud800\",\"\"]]}]]}"), args = input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}");
      const onTarget = await observe(() => env.S["_"](seed)["_A"](...args));
      const onObject = await observe(() => env.S["$"](seed)["_A"](...args));
      return respond({ onTarget, onObject });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};