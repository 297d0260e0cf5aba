import { WorkerEntrypoint } from "cloudflare:workers";

// Stands in for an email service: what was "sent", kept for as long as the worker lives.
const outbox = [];

async function sendWelcome(email) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  outbox.push(`welcome, ${email}`);
}

export class Accounts extends WorkerEntrypoint {
  async signup(email) {
    // The caller gets its answer now; the runtime keeps this worker alive until the email is out.
    this.ctx.waitUntil(sendWelcome(email));
    return { email, status: "pending welcome" };
  }

  sent() {
    return [...outbox];
  }
}

export default {
  fetch() {
    return new Response("signup-accounts answers RPC calls only\n", { status: 404 });
  },
};
