import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const mine = input("{\"$\":\"object\",\"id\":1,\"props\":[]}");
           const call = await observe(() => env.S.mutateArgument(mine));
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           return respond({ call, mine, made, mutated });
  },
};