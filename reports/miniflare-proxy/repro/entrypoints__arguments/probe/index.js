import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["$"](...input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[\"\\ud800\"]}"))));
  },
};