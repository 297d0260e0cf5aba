import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const mine = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"inner\",{\"$\":\"typedarray\",\"id\":2,\"type\":\"Int8Array\",\"buffer\":{\"$\":\"arraybuffer\",\"id\":3,\"base64\":\"\"},\"byteOffset\":0,\"length\":0}],[\"self\",{\"$\":\"ref\",\"id\":1}]]}");
           const call = await observe(() => env.S.mutateArgument(mine));
           const made = await observe(() => env.S.make());
           const mutated = await observe(() => env.S.mutateKept());
           return respond({ call, mine, made, mutated });
  },
};