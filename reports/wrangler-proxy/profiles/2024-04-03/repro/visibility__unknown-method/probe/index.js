import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const result = await observe(() => env.S["a"](...input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}")));
           return respond({ result, remote: result.ok ? undefined : result.error?.remote });
  },
};