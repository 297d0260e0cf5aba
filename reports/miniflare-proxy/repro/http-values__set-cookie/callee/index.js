import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
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
export class A extends WorkerEntrypoint {
  take(value) { return describe(value); }
  give(spec) { return make(spec); }
}