import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             own: [await observe(() => env.S["Aa"]())],
             shared: await observe(() => env.S["A"]()),
             getter: await observe(async () => await env.S["$"]),
             superCall: await observe(() => env.S["a"]()),
           });
  },
};