import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const mine = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"first\",{\"$\":\"boxed\",\"id\":2,\"value\":0}],[\"second\",{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[{\"$\":\"ref\",\"id\":2}]}]]}");
           const call = await observe(() => env.S.mutateArgument(mine));
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           return respond({ call, mine, made, mutated });
  },
};