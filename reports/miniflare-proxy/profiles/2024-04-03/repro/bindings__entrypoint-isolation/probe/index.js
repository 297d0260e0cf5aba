import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond({
             own: await observe(() => env.A["$"]()),
             sibling: await observe(() => env.A["a"]()),
             fromDefault: await observe(() => env.A["$_"]()),
           });
  },
};