import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const S = env.S;
           return respond({
             first: await observe(async () => await S["a"]),
             second: await observe(async () => await S["a"]),
             later: await observe(async () => await S["A"]),
             undef: await observe(async () => await S["$"]),
             data: await observe(async () => await S["_"]),
             callGetter: await observe(() => S["a"]()),
             callLater: await observe(() => S["A"]()),
             callData: await observe(() => S["_"](1)),
             reads: await observe(() => S["Aa"]()),
           });
  },
};