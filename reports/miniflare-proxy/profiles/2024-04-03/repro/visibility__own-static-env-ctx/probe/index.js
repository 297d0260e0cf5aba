import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ ["$"]: { call: await observe(() => env.S["$"]()), read: await observe(async () => await env.S["$"]) },
["_"]: { call: await observe(() => env.S["_"]()), read: await observe(async () => await env.S["_"]) },
["a"]: { call: await observe(() => env.S["a"]()), read: await observe(async () => await env.S["a"]) },
["aa"]: { call: await observe(() => env.S["aa"]()), read: await observe(async () => await env.S["aa"]) },
["aA"]: { call: await observe(() => env.S["aA"]()), read: await observe(async () => await env.S["aA"]) },
["a$"]: { call: await observe(() => env.S["a$"]()), read: await observe(async () => await env.S["a$"]) },
["env"]: { call: await observe(() => env.S["env"]()), read: await observe(async () => await env.S["env"]) },
["ctx"]: { call: await observe(() => env.S["ctx"]()), read: await observe(async () => await env.S["ctx"]) } });
  },
};