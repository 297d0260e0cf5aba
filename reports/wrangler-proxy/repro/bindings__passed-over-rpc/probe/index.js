import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await env.S["a"](env.BOUND));
  },
};