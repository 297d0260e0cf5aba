import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
function describeDom(e) {
  const runtimeKeys = ["code", "name", "message", "stack", "remote"];
  return { isDOMException: e instanceof DOMException, name: e.name, message: e.message, code: e.code,
    otherKeys: Object.getOwnPropertyNames(e).filter((k) => !runtimeKeys.includes(k)), remote: e.remote };
}
function make() { return Object.assign(new DOMException("", "A"), input("{\"$\":\"object\",\"id\":1,\"props\":[]}")); }
return respond(await env.S.fail().then(() => ({ resolved: true }), describeDom));
  },
};