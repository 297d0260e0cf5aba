import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
const out = [];
           for (const name of ["a"]) {
             let thenable = false;
             const result = await observe(() => { const p = env.S[name](); thenable = typeof p?.then === "function"; return p; });
             out.push({ thenable, result });
           }
           return respond(out);
  },
};