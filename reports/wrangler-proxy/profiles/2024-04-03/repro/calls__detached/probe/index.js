import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";

export default {
  async fetch(request, env, ctx) {
    try {

      const args = input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":2,\"props\":[[\"\",{\"$\":\"object\",\"id\":3,\"props\":[[\"\",{\"$\":\"array\",\"id\":4,\"length\":1,\"items\":[\"\\ud800\"]}]]}]]}]}");
      const f = env.S["_"];
      const binding = await observe(() => f(...args));
      const stub = await env.S["a"]();
      const g = stub["_"];
      const onStub = await observe(() => g(...args));
      return respond({ binding, onStub });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};