import { WorkerEntrypoint } from "cloudflare:workers";

// Each RPC call constructs a fresh Greeter with (ctx, env); public methods are callable.
export class Greeter extends WorkerEntrypoint {
  greet(name) {
    return `Hello, ${name}${this.env.PUNCTUATION}`;
  }
}

// Workers need a default export; this one only says where the interesting part is.
export default {
  fetch() {
    return new Response("This worker is reached through its Greeter entrypoint.\n");
  },
};
