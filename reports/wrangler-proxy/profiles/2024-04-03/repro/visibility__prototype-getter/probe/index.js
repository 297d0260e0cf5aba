import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const S = env.S;
           return respond({
             first: await observe(async () => await S["_"]),
             second: await observe(async () => await S["_"]),
             later: await observe(async () => await S["A"]),
             undef: await observe(async () => await S["a"]),
             data: await observe(async () => await S["$"]),
             callGetter: await observe(() => S["_"]()),
             callLater: await observe(() => S["A"]()),
             callData: await observe(() => S["$"](1)),
             reads: await observe(() => S["AA"]()),
           });
  },
};