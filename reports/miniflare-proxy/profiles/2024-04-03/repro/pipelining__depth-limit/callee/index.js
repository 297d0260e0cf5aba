import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
function nested(level) {
  const o = { ["_"]: (x) => ({ level, x }) };
  if (level < 80) o["$"] = nested(level + 1);
  return o;
}
const levels = nested(0);
class Target extends RpcTarget {
  get ["$"]() { return levels; }
}
export class A extends WorkerEntrypoint {
  get ["$"]() { return levels; }
  ["a"]() { return levels; }
  ["aa"]() { return new Target(); }
}