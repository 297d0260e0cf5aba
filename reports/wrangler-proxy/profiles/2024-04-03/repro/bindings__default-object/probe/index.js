import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const arg = input("\"\"");
           return respond({
             fetch: await observe(async () => (await env.O.fetch("https://callee.example/", { method: "GET" })).text()),
             call: await observe(() => env.O["A"](arg)),
             wrongArity: await observe(() => env.O["A"](...[])),
             onProto: await observe(() => env.O["_"](arg)),
             data: await observe(() => env.O["_a"](arg)),
           });
  },
};