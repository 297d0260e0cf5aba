import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["A"](...input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":3,\"props\":[[\"\",\"\\ud800\"]]}]}]}"))));
  },
};