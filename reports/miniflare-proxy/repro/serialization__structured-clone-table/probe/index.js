import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["A"](input("{\"$\":\"boxed\",\"id\":1,\"value\":\"\\ud800\"}"))));
  },
};