import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             own: [await observe(() => env.S["AA"]())],
             shared: await observe(() => env.S["_"]()),
             getter: await observe(async () => await env.S["A"]),
             superCall: await observe(() => env.S["a"]()),
           });
  },
};