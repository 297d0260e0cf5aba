import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const S = env.S;
           return respond({
             first: await observe(async () => await S["$"]),
             second: await observe(async () => await S["$"]),
             later: await observe(async () => await S["_"]),
             undef: await observe(async () => await S["a"]),
             data: await observe(async () => await S["aa"]),
             callGetter: await observe(() => S["$"]()),
             callLater: await observe(() => S["_"]()),
             callData: await observe(() => S["aa"](1)),
             reads: await observe(() => S["aA"]()),
           });
  },
};