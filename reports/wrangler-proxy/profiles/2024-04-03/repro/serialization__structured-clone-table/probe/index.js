import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["a"](input("{\"$\":\"error\",\"id\":1,\"class\":\"Error\",\"name\":\"Error\",\"message\":\"\\ud800\",\"props\":[]}"))));
  },
};