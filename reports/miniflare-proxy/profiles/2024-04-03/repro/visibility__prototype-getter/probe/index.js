import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const S = env.S;
           return respond({
             first: await observe(async () => await S["_"]),
             second: await observe(async () => await S["_"]),
             later: await observe(async () => await S["_A"]),
             undef: await observe(async () => await S["$"]),
             data: await observe(async () => await S["$__"]),
             callGetter: await observe(() => S["_"]()),
             callLater: await observe(() => S["_A"]()),
             callData: await observe(() => S["$__"](1)),
             reads: await observe(() => S["$_"]()),
           });
  },
};