import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             own: [await observe(() => env.S["_a"]()), await observe(() => env.S["$a"]())],
             shared: await observe(() => env.S["$"]()),
             getter: await observe(async () => await env.S["_"]),
             superCall: await observe(() => env.S["$$"]()),
           });
  },
};