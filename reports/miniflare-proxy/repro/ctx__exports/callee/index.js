import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class A0 extends WorkerEntrypoint {
  ["a"](x) { return { x, props: this.ctx.props, who: "A0" }; }
}
export class A extends WorkerEntrypoint {
  async ["A"]() {
    const present = "exports" in this.ctx;
    if (!present) return { present, type: typeof this.ctx.exports };
    return { present, names: Object.keys(this.ctx.exports).sort(), result: await this.ctx.exports["A0"]["a"](input("{\"$\":\"array\",\"id\":1,\"length\":1,\"items\":[\"\\ud800\"]}")) };
  }
}