import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const mine = input("{\"$\":\"set\",\"id\":1,\"values\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"boxed\",\"id\":3,\"value\":\"\\ud800\"}]}]}");
           const call = await observe(() => env.S.mutateArgument(mine));
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           return respond({ call, mine, made, mutated });
  },
};