import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["A"](input("{\"$\":\"map\",\"id\":1,\"entries\":[[{\"$\":\"bigint\",\"value\":\"18446744073709551616\"},{\"$\":\"map\",\"id\":2,\"entries\":[[{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[{\"$\":\"error\",\"id\":4,\"class\":\"Error\",\"name\":\"Error\",\"message\":\"\",\"props\":[]}]},{\"$\":\"array\",\"id\":5,\"length\":2,\"items\":[{\"$\":\"typedarray\",\"id\":6,\"type\":\"Int8Array\",\"buffer\":{\"$\":\"arraybuffer\",\"id\":7,\"base64\":\"\"},\"byteOffset\":0,\"length\":0},{\"$\":\"typedarray\",\"id\":8,\"type\":\"Int8Array\",\"buffer\":{\"$\":\"ref\",\"id\":7},\"byteOffset\":0,\"length\":0}]}]]}]]}"))));
  },
};