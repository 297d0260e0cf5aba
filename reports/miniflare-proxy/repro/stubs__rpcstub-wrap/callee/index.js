import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
import { RpcStub } from "cloudflare:workers";
function mutate(v) { if (Array.isArray(v)) v.push("changed"); else v["changed by target"] = true; return v; }
export class A extends WorkerEntrypoint {
  async ["a"](s, args) {
    if (s === undefined) return new RpcStub({ ["$"](...args) { return { args: args.map(mutate), tag: "wrapped" }; }, ["aa"]: input("\"\"") });
    const use = async (s, args) => {
        const p = s["$"](...args);
        const shape = { then: typeof p.then, promise: p instanceof Promise };
        return { shape, result: await p, prop: await s["aa"] };
      };
    return await use(s, args);
  }
}