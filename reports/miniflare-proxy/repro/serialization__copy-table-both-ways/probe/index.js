import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const mine = input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"error\",\"id\":2,\"class\":\"Error\",\"name\":\"Error\",\"message\":\"\\ud800\",\"props\":[]}]}");
           const call = await observe(() => env.S.mutateArgument(mine));
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           return respond({ call, mine, made, mutated });
  },
};