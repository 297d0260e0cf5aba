import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
function make(spec) {
  const parts = spec.parts.map((p) => (p.text !== undefined ? p.text : new Uint8Array(p.bytes)));
  return spec.file ? new File(parts, spec.name, { type: spec.type }) : new Blob(parts, { type: spec.type });
}
async function describe(v) {
  return { isBlob: v instanceof Blob, isFile: v instanceof File, type: v.type, bytes: [...new Uint8Array(await v.arrayBuffer())] };
}
const spec = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"file\",true],[\"parts\",{\"$\":\"array\",\"id\":2,\"length\":0,\"items\":[]}],[\"type\",\"a/+\"],[\"name\",\"a.a\"]]}");
return respond(await observe(() => env.S.take(make(spec))));
  },
};