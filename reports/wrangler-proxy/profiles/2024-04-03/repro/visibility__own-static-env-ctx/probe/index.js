import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ ["_"]: { call: await observe(() => env.S["_"]()), read: await observe(async () => await env.S["_"]) },
["A"]: { call: await observe(() => env.S["A"]()), read: await observe(async () => await env.S["A"]) },
["a"]: { call: await observe(() => env.S["a"]()), read: await observe(async () => await env.S["a"]) },
["$"]: { call: await observe(() => env.S["$"]()), read: await observe(async () => await env.S["$"]) },
["AA"]: { call: await observe(() => env.S["AA"]()), read: await observe(async () => await env.S["AA"]) },
["A$"]: { call: await observe(() => env.S["A$"]()), read: await observe(async () => await env.S["A$"]) },
["env"]: { call: await observe(() => env.S["env"]()), read: await observe(async () => await env.S["env"]) },
["ctx"]: { call: await observe(() => env.S["ctx"]()), read: await observe(async () => await env.S["ctx"]) } });
  },
};