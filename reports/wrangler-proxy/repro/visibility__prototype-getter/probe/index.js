import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const S = env.S;
           return respond({
             first: await observe(async () => await S["a"]),
             second: await observe(async () => await S["a"]),
             later: await observe(async () => await S["aa"]),
             undef: await observe(async () => await S["ab"]),
             data: await observe(async () => await S["$"]),
             callGetter: await observe(() => S["a"]()),
             callLater: await observe(() => S["aa"]()),
             callData: await observe(() => S["$"](1)),
             reads: await observe(() => S["A"]()),
           });
  },
};