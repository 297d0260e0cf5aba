import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ ["a"]: { call: await observe(() => env.S["a"]()), read: await observe(async () => await env.S["a"]) },
["A"]: { call: await observe(() => env.S["A"]()), read: await observe(async () => await env.S["A"]) },
["$"]: { call: await observe(() => env.S["$"]()), read: await observe(async () => await env.S["$"]) },
["_"]: { call: await observe(() => env.S["_"]()), read: await observe(async () => await env.S["_"]) },
["Aa"]: { call: await observe(() => env.S["Aa"]()), read: await observe(async () => await env.S["Aa"]) },
["$0"]: { call: await observe(() => env.S["$0"]()), read: await observe(async () => await env.S["$0"]) },
["env"]: { call: await observe(() => env.S["env"]()), read: await observe(async () => await env.S["env"]) },
["ctx"]: { call: await observe(() => env.S["ctx"]()), read: await observe(async () => await env.S["ctx"]) } });
  },
};