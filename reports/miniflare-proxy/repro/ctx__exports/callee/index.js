import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class B extends WorkerEntrypoint {
  ["A"](x) { return { x, props: this.ctx.props, who: "B" }; }
}
export class A extends WorkerEntrypoint {
  async ["_"]() {
    const present = "exports" in this.ctx;
    if (!present) return { present, type: typeof this.ctx.exports };
    return { present, names: Object.keys(this.ctx.exports).sort(), result: await this.ctx.exports["B"]["A"](input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"\",\"\\ud800\"]]}]]}")) };
  }
}