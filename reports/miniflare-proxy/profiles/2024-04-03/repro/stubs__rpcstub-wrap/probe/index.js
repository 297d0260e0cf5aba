import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
import { RpcStub } from "cloudflare:workers";
function mutate(v) { if (Array.isArray(v)) v.push("changed"); else v["changed by target"] = true; return v; }
export default {
  async fetch(request, env, ctx) {
    try {

      const args = input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":2,\"props\":[[\"\",\"\"],[\"nested\",{\"$\":\"object\",\"id\":3,\"props\":[[\"list\",{\"$\":\"array\",\"id\":4,\"length\":2,\"items\":[1,2]}]]}]]}]}");
      const use = async (s, args) => {
        const p = s["_"](...args);
        const shape = { then: typeof p.then, promise: p instanceof Promise };
        return { shape, result: await p, prop: await s["a"] };
      };
      let out;
      out = await use(new RpcStub({ ["_"](...args) { return { args: args.map(mutate), tag: "wrapped" }; }, ["a"]: input("\"\"") }), args);
      
      
      return respond({ out, argsAfter: args });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};