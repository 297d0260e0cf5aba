import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A extends WorkerEntrypoint {
  ["a"](received) { return { received, sent: input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"array\",\"id\":2,\"length\":1,\"items\":[{\"$\":\"object\",\"id\":3,\"props\":[[\"\",\"\\ud800\"]]}]}]]}") }; }
}