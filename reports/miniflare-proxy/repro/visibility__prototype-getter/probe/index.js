import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const S = env.S;
           return respond({
             first: await observe(async () => await S["a"]),
             second: await observe(async () => await S["a"]),
             later: await observe(async () => await S["$"]),
             undef: await observe(async () => await S["aa"]),
             data: await observe(async () => await S["a_"]),
             callGetter: await observe(() => S["a"]()),
             callLater: await observe(() => S["$"]()),
             callData: await observe(() => S["a_"](1)),
             reads: await observe(() => S["b"]()),
           });
  },
};