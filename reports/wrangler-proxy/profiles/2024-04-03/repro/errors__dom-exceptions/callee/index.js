import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function describeDom(e) {
  const runtimeKeys = ["code", "name", "message", "stack", "remote"];
  return { isDOMException: e instanceof DOMException, name: e.name, message: e.message, code: e.code,
    otherKeys: Object.getOwnPropertyNames(e).filter((k) => !runtimeKeys.includes(k)), remote: e.remote };
}
function make() { return Object.assign(new DOMException("", "IndexSizeError"), input("{\"$\":\"object\",\"id\":1,\"props\":[]}")); }
export class A extends WorkerEntrypoint {
  take(value) { return describeDom(value); }
  give() { return make(); }
  fail() { throw make(); }
}