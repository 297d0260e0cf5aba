import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             viaPublic: await observe(() => env.S["$"]()),
             privateCall: await observe(() => env.S["#A"]()),
             privateField: await observe(async () => await env.S["#a"]),
           });
  },
};