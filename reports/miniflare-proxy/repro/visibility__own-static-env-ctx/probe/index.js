import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ ["$"]: { call: await observe(() => env.S["$"]()), read: await observe(async () => await env.S["$"]) },
["_0"]: { call: await observe(() => env.S["_0"]()), read: await observe(async () => await env.S["_0"]) },
["A"]: { call: await observe(() => env.S["A"]()), read: await observe(async () => await env.S["A"]) },
["a"]: { call: await observe(() => env.S["a"]()), read: await observe(async () => await env.S["a"]) },
["$a"]: { call: await observe(() => env.S["$a"]()), read: await observe(async () => await env.S["$a"]) },
["_"]: { call: await observe(() => env.S["_"]()), read: await observe(async () => await env.S["_"]) },
["env"]: { call: await observe(() => env.S["env"]()), read: await observe(async () => await env.S["env"]) },
["ctx"]: { call: await observe(() => env.S["ctx"]()), read: await observe(async () => await env.S["ctx"]) } });
  },
};