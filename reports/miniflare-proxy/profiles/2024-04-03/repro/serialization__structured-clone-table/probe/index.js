import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
return respond(await observe(() => env.S["A"](input("{\"$\":\"map\",\"id\":1,\"entries\":[[{\"$\":\"error\",\"id\":2,\"class\":\"Error\",\"name\":\"Error\",\"message\":\"\\ud800\",\"props\":[]},{\"$\":\"regexp\",\"id\":3,\"source\":\"(?:)\",\"flags\":\"\",\"lastIndex\":0}]]}"))));
  },
};