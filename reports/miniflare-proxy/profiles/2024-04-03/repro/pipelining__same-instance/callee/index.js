import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let constructed = 0, makes = 0;
export class A extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.serial = ++constructed; }
  ["$"]() { const serial = this.serial, make = ++makes; let calls = 0; return { ["_"]: () => ({ serial, make, calls: ++calls }) }; }
  ["a"]() { return { constructed, makes }; }
}