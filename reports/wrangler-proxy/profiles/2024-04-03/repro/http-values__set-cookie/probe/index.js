import { observe, respond, input } from "./harness.js";
export default {
  async fetch(request, env, ctx) {
function make(spec) {
  const headers = new Headers();
  for (const a of spec.appends) a.cookie !== undefined ? headers.append(a.name, a.cookie) : headers.append(a.header[0], a.header[1]);
  if (spec.holder === "headers") return headers;
  if (spec.holder === "response") return new Response(null, { headers });
  return new Request("https://example.com/", { headers });
}
function describe(v) {
  const headers = v instanceof Headers ? v : v.headers;
  return { isHeaders: headers instanceof Headers, entries: [...headers].filter(([n]) => n === "set-cookie"), setCookie: headers.getSetCookie() };
}
const spec = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"holder\",\"headers\"],[\"appends\",{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":3,\"props\":[[\"cookie\",\"a=\"],[\"name\",\"set-cookie\"]]}]}]]}");
return respond(await observe(() => env.S.take(make(spec))));
  },
};