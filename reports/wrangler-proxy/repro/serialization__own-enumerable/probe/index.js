import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
function build(plan, symbols, count) {
  const o = {};
  for (const { key, kind, value } of plan) {
    if (kind === "getter") Object.defineProperty(o, key, { get() { count.n++; return value; }, enumerable: true, configurable: true });
    else Object.defineProperty(o, key, { value, enumerable: kind !== "hidden", writable: kind !== "readonly", configurable: true });
  }
  for (const s of symbols) o[Symbol(s)] = s;
  return o;
}
function describe(o) {
  return {
    own: Object.getOwnPropertyNames(o).map((key) => { const d = Object.getOwnPropertyDescriptor(o, key); return { key, data: "value" in d, value: d.value, writable: d.writable, enumerable: d.enumerable }; }),
    symbols: Object.getOwnPropertySymbols(o).filter((s) => s !== Symbol.dispose).map(String),
  };
}
export default {
  async fetch(request, env, ctx) {
    try {
const count = { n: 0 }; const arrived = await env.S.take(build(input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":2,\"props\":[[\"key\",\"\"],[\"kind\",\"data\"],[\"value\",{\"$\":\"object\",\"id\":3,\"props\":[[\"\",{\"$\":\"object\",\"id\":4,\"props\":[[\"\",\"\\ud800\"]]}]]}]]}]}"), input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}"), count)); return respond({ arrived, reads: count.n });
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};