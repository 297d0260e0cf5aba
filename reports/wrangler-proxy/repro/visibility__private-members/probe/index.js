import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             viaPublic: await observe(() => env.S["a"]()),
             privateCall: await observe(() => env.S["#a"]()),
             privateField: await observe(async () => await env.S["#A"]),
           });
  },
};