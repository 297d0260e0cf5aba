import { WorkerEntrypoint } from "cloudflare:workers";

// A named entrypoint: bindings reach it with `entrypoint = "Greeter"`. Its env is its own worker's
// env, whoever calls it.
export class Greeter extends WorkerEntrypoint {
  greet(name) {
    return `${this.env.GREETING}, ${name}!`;
  }
}

export default {
  fetch() {
    return new Response("greeter-greeter answers RPC calls only\n", { status: 404 });
  },
};
