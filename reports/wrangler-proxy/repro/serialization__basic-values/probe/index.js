import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["a"](input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":3,\"props\":[[\"\",\"\\ud800\"]]}]}]]}"))));
  },
};