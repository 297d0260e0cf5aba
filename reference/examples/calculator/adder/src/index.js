import { WorkerEntrypoint } from "cloudflare:workers";

// Other workers call `env.ADDER.add(a, b)`; the sum comes back to them as a plain number.
export default class Adder extends WorkerEntrypoint {
  async fetch() {
    return new Response("calculator-adder answers RPC calls only\n", { status: 404 });
  }

  add(a, b) {
    return a + b;
  }
}
