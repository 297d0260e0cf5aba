import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
function nested(level) {
  const o = { ["aa"]: (x) => ({ level, x }) };
  if (level < 80) o["a"] = nested(level + 1);
  return o;
}
const levels = nested(0);
class Target extends RpcTarget {
  get ["a"]() { return levels; }
}
export class A extends WorkerEntrypoint {
  get ["a"]() { return levels; }
  ["ab"]() { return levels; }
  ["$"]() { return new Target(); }
}