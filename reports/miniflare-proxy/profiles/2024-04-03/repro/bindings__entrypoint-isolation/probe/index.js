import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             own: await observe(() => env.A["A"]()),
             sibling: await observe(() => env.A["_"]()),
             fromDefault: await observe(() => env.A["__"]()),
           });
  },
};