import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
import { input } from "./harness.js";
let constructed = 0, makes = 0;
export class A extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); this.serial = ++constructed; }
  ["a"]() { const serial = this.serial, make = ++makes; let calls = 0; return { ["$"]: () => ({ serial, make, calls: ++calls }) }; }
  ["aa"]() { return { constructed, makes }; }
}