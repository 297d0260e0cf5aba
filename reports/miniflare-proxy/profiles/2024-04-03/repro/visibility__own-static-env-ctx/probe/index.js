import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({ ["_"]: { call: await observe(() => env.S["_"]()), read: await observe(async () => await env.S["_"]) },
["_A"]: { call: await observe(() => env.S["_A"]()), read: await observe(async () => await env.S["_A"]) },
["$"]: { call: await observe(() => env.S["$"]()), read: await observe(async () => await env.S["$"]) },
["$__"]: { call: await observe(() => env.S["$__"]()), read: await observe(async () => await env.S["$__"]) },
["$_"]: { call: await observe(() => env.S["$_"]()), read: await observe(async () => await env.S["$_"]) },
["_B"]: { call: await observe(() => env.S["_B"]()), read: await observe(async () => await env.S["_B"]) },
["env"]: { call: await observe(() => env.S["env"]()), read: await observe(async () => await env.S["env"]) },
["ctx"]: { call: await observe(() => env.S["ctx"]()), read: await observe(async () => await env.S["ctx"]) } });
  },
};