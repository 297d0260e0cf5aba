import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const mine = input("{\"$\":\"map\",\"id\":1,\"entries\":[[{\"$\":\"date\",\"id\":2,\"time\":0},{\"$\":\"boxed\",\"id\":3,\"value\":{\"$\":\"bigint\",\"value\":\"0\"}}]]}");
           const call = await observe(() => env.S.mutateArgument(mine));
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           return respond({ call, mine, made, mutated });
  },
};