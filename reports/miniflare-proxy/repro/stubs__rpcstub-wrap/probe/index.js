import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
import { RpcStub } from "cloudflare:workers";
function mutate(v) { if (Array.isArray(v)) v.push("changed"); else v["changed by target"] = true; return v; }
export default {
  async fetch(request, env, ctx) {
    try {

      const args = input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":2,\"items\":[\"\\ud800\",{\"$\":\"object\",\"id\":3,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":4,\"length\":1,\"items\":[1]}]]}]}]}");
      const use = async (s, args) => {
        const p = s["$"](...args);
        const shape = { then: typeof p.then, promise: p instanceof Promise };
        return { shape, result: await p, prop: await s["aa"] };
      };
      let out;
      out = await use(new RpcStub({ ["$"](...args) { return { args: args.map(mutate), tag: "wrapped" }; }, ["aa"]: input("\"\"") }), args);
      
      
      return respond({ out, argsAfter: args });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};