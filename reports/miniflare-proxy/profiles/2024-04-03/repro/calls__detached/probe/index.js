import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const args = input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":2,\"props\":[[\"\",\"\\ud800\"]]}]}");
      const f = env.S["a"];
      const binding = await observe(() => f(...args));
      const stub = await env.S["A"]();
      const g = stub["a"];
      const onStub = await observe(() => g(...args));
      return respond({ binding, onStub });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};