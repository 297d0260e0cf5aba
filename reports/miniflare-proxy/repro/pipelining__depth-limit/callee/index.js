import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
function nested(level) {
  const o = { ["$"]: (x) => ({ level, x }) };
  if (level < 80) o["_"] = nested(level + 1);
  return o;
}
const levels = nested(0);
class Target extends RpcTarget {
  get ["_"]() { return levels; }
}
export class A extends WorkerEntrypoint {
  get ["_"]() { return levels; }
  ["$$"]() { return levels; }
  ["A"]() { return new Target(); }
}