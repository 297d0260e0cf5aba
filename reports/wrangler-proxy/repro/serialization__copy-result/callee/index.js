import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function mutateDeep(v, seen = new Set()) {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  for (const k of Object.keys(v)) mutateDeep(v[k], seen);
  if (Array.isArray(v)) v.push("added by the other side"); else v.addedByTheOtherSide = true;
}
let kept;
export class A extends WorkerEntrypoint {
  make() { kept = input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",\"\"],[\"nested\",{\"$\":\"object\",\"id\":2,\"props\":[[\"list\",{\"$\":\"array\",\"id\":3,\"length\":2,\"items\":[1,2]}]]}]]}"); return kept; }
  mutateKept() { mutateDeep(kept); return "mutated"; }
  readKept() { return kept; }
}