/**
 * The benchmark's workers: the same client and server modules on every runtime. The client does
 * the timing itself, inside the runtime, over batches of calls: workerd's clocks only advance at
 * I/O, so a single call cannot be timed there, but a batch of a thousand can.
 */
import type { Scenario } from "../contract.ts";

export const SERVER = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Server extends WorkerEntrypoint {
  add(a, b) { return a + b; }
  echo(value) { return value; }
}
export default { fetch() { return new Response("server"); } };`;

export const CLIENT = `
const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

async function sequential(env, batches, perBatch) {
  const perCallMs = [];
  for (let b = 0; b < batches; b++) {
    const t0 = now();
    for (let i = 0; i < perBatch; i++) await env.S.add(i, 2);
    perCallMs.push((now() - t0) / perBatch);
  }
  return perCallMs;
}

async function concurrent(env, batches, inFlight) {
  const perCallMs = [];
  for (let b = 0; b < batches; b++) {
    const t0 = now();
    const calls = [];
    for (let i = 0; i < inFlight; i++) calls.push(env.S.add(i, 2));
    await Promise.all(calls);
    perCallMs.push((now() - t0) / inFlight);
  }
  return perCallMs;
}

async function payload(env, value, batches, perBatch) {
  const size = JSON.stringify(value).length;
  const perCallMs = [];
  for (let b = 0; b < batches; b++) {
    const t0 = now();
    let back;
    for (let i = 0; i < perBatch; i++) back = await env.S.echo(value);
    perCallMs.push((now() - t0) / perBatch);
    if (JSON.stringify(back).length !== size) throw new Error("payload came back different");
  }
  return perCallMs;
}

export default {
  async fetch(request, env) {
    const job = await request.json();
    let perCallMs;
    if (job.kind === "sequential") perCallMs = await sequential(env, job.batches, job.perBatch);
    else if (job.kind === "concurrent") perCallMs = await concurrent(env, job.batches, job.inFlight);
    else if (job.kind === "payload") perCallMs = await payload(env, job.value, job.batches, job.perBatch);
    else return new Response("unknown job", { status: 400 });
    return Response.json({ perCallMs });
  },
};`;

export function benchScenario(compatibilityDate: string): Scenario {
  const common = { main: "index.js", compatibilityDate, compatibilityFlags: [], vars: {} };
  return {
    workers: [
      { ...common, name: "client", modules: { "index.js": CLIENT }, services: [{ binding: "S", service: "server", entrypoint: "Server" }] },
      { ...common, name: "server", modules: { "index.js": SERVER }, services: [] },
    ],
  };
}
