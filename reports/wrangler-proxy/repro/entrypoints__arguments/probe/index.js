import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["_"](...input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[\"\\ud800\"]}]}]}"))));
  },
};