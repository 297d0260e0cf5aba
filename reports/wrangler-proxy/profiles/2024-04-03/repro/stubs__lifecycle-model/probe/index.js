import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
async function runSteps(steps, first, pass, inc, self) {
  const handles = [first], disposed = [false], passed = [false], out = [];
  for (const { op, h } of steps) {
    const i = h % handles.length, stub = handles[i];
    switch (op) {
      case "call": out.push(await observe(() => stub[inc]())); break;
      case "pipeline": out.push(await observe(() => stub[self]()[inc]())); break;
      case "pass": passed[i] = true; out.push(await observe(() => pass(stub))); break;
      case "dispose": stub[Symbol.dispose](); disposed[i] = true; out.push("disposed"); break;
      case "dup":
        if (disposed[i] || passed[i]) { out.push("skipped"); break; }
        handles.push(stub.dup()); disposed.push(false); passed.push(false); out.push("dup");
        break;
    }
  }
  return out;
}
export default {
  async fetch(request, env, ctx) {
    try {

      const first = await env.S["_"]();
      const steps = [{"op":"dup","h":4},{"op":"pass","h":4},{"op":"pass","h":6},{"op":"pass","h":2},{"op":"dup","h":2},{"op":"call","h":6}];
      return respond(await runSteps(steps, first, (stub) => env.S["$"](stub), "A", "a"));
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};