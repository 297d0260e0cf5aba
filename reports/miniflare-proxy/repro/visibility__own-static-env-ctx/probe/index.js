import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ ["a"]: { call: await observe(() => env.S["a"]()), read: await observe(async () => await env.S["a"]) },
["$"]: { call: await observe(() => env.S["$"]()), read: await observe(async () => await env.S["$"]) },
["aa"]: { call: await observe(() => env.S["aa"]()), read: await observe(async () => await env.S["aa"]) },
["a_"]: { call: await observe(() => env.S["a_"]()), read: await observe(async () => await env.S["a_"]) },
["b"]: { call: await observe(() => env.S["b"]()), read: await observe(async () => await env.S["b"]) },
["A"]: { call: await observe(() => env.S["A"]()), read: await observe(async () => await env.S["A"]) },
["env"]: { call: await observe(() => env.S["env"]()), read: await observe(async () => await env.S["env"]) },
["ctx"]: { call: await observe(() => env.S["ctx"]()), read: await observe(async () => await env.S["ctx"]) } });
  },
};