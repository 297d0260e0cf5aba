import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
const seen = [];
export default {
  async fetch(request, env, ctx) {
    try {

      const result = await observe(() => env.S["a"]((v) => { seen.push(v); return { back: v, n: seen.length }; }, input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[\"\\ud800\"]}")));
      return respond({ result, seen });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};