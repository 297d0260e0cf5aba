import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
function calleeFrameA() {  const e = new Error("", undefined);  Object.assign(e, input("{\"$\":\"object\",\"id\":1,\"props\":[]}")); throw e; }
export class A extends WorkerEntrypoint {
  ["a"]() { return calleeFrameA(); }
}