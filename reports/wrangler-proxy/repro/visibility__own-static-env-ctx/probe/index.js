import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ ["a"]: { call: await observe(() => env.S["a"]()), read: await observe(async () => await env.S["a"]) },
["aa"]: { call: await observe(() => env.S["aa"]()), read: await observe(async () => await env.S["aa"]) },
["ab"]: { call: await observe(() => env.S["ab"]()), read: await observe(async () => await env.S["ab"]) },
["$"]: { call: await observe(() => env.S["$"]()), read: await observe(async () => await env.S["$"]) },
["A"]: { call: await observe(() => env.S["A"]()), read: await observe(async () => await env.S["A"]) },
["Aa"]: { call: await observe(() => env.S["Aa"]()), read: await observe(async () => await env.S["Aa"]) },
["env"]: { call: await observe(() => env.S["env"]()), read: await observe(async () => await env.S["env"]) },
["ctx"]: { call: await observe(() => env.S["ctx"]()), read: await observe(async () => await env.S["ctx"]) } });
  },
};