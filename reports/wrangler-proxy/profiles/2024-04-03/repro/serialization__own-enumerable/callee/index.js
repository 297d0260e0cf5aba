import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
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
export class A extends WorkerEntrypoint {
  take(o) { return describe(o); }
  give() { const count = { n: 0 }; const o = build(input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":2,\"props\":[[\"key\",\"\"],[\"kind\",\"data\"],[\"value\",\"\\ud800\"]]}]}"), input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}"), count); return { o, count }; }
}