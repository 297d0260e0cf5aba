import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond([{ type: typeof env.S[""], call: await observe(() => env.S[""](7)) }]);
  },
};