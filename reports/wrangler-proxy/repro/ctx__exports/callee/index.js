import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
export class Aa extends WorkerEntrypoint {
  ["$A"](x) { return { x, props: this.ctx.props, who: "Aa" }; }
}
export class A extends WorkerEntrypoint {
  async ["$"]() {
    const present = "exports" in this.ctx;
    if (!present) return { present, type: typeof this.ctx.exports };
    return { present, names: Object.keys(this.ctx.exports).sort(), result: await this.ctx.exports["Aa"]["$A"](input("\"\\ud800\"")) };
  }
}