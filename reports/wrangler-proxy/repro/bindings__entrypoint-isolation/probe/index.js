import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             own: await observe(() => env.A["a"]()),
             sibling: await observe(() => env.A["$"]()),
             fromDefault: await observe(() => env.A["_"]()),
           });
  },
};