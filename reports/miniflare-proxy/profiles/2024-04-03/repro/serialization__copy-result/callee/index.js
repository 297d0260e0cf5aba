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
  make() { kept = input("{\"$\":\"array\",\"id\":1,\"length\":2,\"items\":[{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":3,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":4,\"length\":1,\"items\":[{\"$\":\"array\",\"id\":5,\"length\":1,\"items\":[\"\\ud800\"]}]}]}]},{\"$\":\"object\",\"id\":6,\"props\":[[\"nested\",{\"$\":\"array\",\"id\":7,\"length\":1,\"items\":[1]}]]}]}"); return kept; }
  mutateKept() { mutateDeep(kept); return "mutated"; }
  readKept() { return kept; }
}