/**
 * Test helpers: boot a server worker plus a probe client that calls it from inside the runtime.
 *
 * A probe is the source of an async arrow function `(env, ctx) => …` run inside the client
 * worker; its outcome comes back as JSON: `{ ok: value }` or `{ error: { ctor, name, message,
 * remote, callerRealm, stack } }`, where `callerRealm` says the error is an instance of the
 * client's own Error.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { startScenario } from "../../reference/index.ts";
import { startBrokenScenario } from "../../reference/runtime.ts";
import { SeamTable } from "../../reference/seams.ts";
import type { BrokenVariant } from "../conformance/variants/index.ts";
import type { ReferenceScenario, ServiceBinding, WorkerDefinition } from "../../reference/index.ts";

export interface ErrorOutcome {
  ctor: string;
  name: string;
  message: string;
  remote: unknown;
  callerRealm: boolean;
  stack: string;
}
export type Outcome = { ok: unknown } | { error: ErrorOutcome };

export interface PairOptions {
  server: string;
  probes: Record<string, string>;
  /** Client bindings; default: S → server's Named entrypoint. */
  services?: ServiceBinding[];
  serverVars?: Record<string, unknown>;
  serverServices?: ServiceBinding[];
  clientVars?: Record<string, unknown>;
  /** A broken variant (test/conformance/variants/) to run instead of the real runtime. */
  variant?: BrokenVariant;
  /** Extra workers (e.g. a third party). */
  extra?: WorkerDefinition[];
}

export interface Pair {
  scenario: ReferenceScenario;
  probe(name: string): Promise<Outcome>;
  dispose(): Promise<void>;
}

export function worker(name: string, source: string, extra: Partial<WorkerDefinition> = {}): WorkerDefinition {
  return {
    name,
    main: "index.js",
    modules: { "index.js": source },
    compatibilityDate: "2024-04-03",
    compatibilityFlags: [],
    vars: {},
    services: [],
    ...extra,
  };
}

export function clientSource(probes: Record<string, string>): string {
  const entries = Object.entries(probes)
    .map(([name, fn]) => `  ${JSON.stringify(name)}: ${fn},`)
    .join("\n");
  return `
const probes = {
${entries}
};
function describeError(e) {
  if (e === null || typeof e !== "object") return { ctor: typeof e, name: "", message: String(e), remote: undefined, callerRealm: false, stack: "" };
  return { ctor: e.constructor?.name, name: e.name, message: e.message, remote: e.remote, callerRealm: e instanceof Error, stack: String(e.stack) };
}
export default {
  async fetch(request, env, ctx) {
    const name = decodeURIComponent(new URL(request.url).pathname.slice(1));
    try {
      const value = await probes[name](env, ctx);
      return new Response(JSON.stringify({ ok: value === undefined ? "<undefined>" : value }));
    } catch (e) {
      return new Response(JSON.stringify({ error: describeError(e) }));
    }
  },
};`;
}

export async function bootPair(options: PairOptions): Promise<Pair> {
  const services = options.services ?? [{ binding: "S", service: "server", entrypoint: "Named" }];
  const workers = [
    worker("client", clientSource(options.probes), { services, vars: options.clientVars ?? {} }),
    worker("server", options.server, { vars: options.serverVars ?? {}, services: options.serverServices ?? [] }),
    ...(options.extra ?? []),
  ];
  const scenario = options.variant
    ? await startBrokenScenario(workers, {}, new SeamTable(options.variant.seams))
    : await startScenario(workers);
  return {
    scenario,
    async probe(name) {
      const response = await scenario.fetch("client", new Request(`http://client/${encodeURIComponent(name)}`));
      return (await response.json()) as Outcome;
    },
    dispose: () => scenario.dispose(),
  };
}

/** The value of a successful outcome; fails the test with the error otherwise. */
export function ok(outcome: Outcome): unknown {
  if ("error" in outcome) throw new Error(`expected success, got ${outcome.error.ctor}: ${outcome.error.message}`);
  return outcome.ok;
}

/** The error of a failed outcome; fails the test with the value otherwise. */
export function err(outcome: Outcome): ErrorOutcome {
  if (!("error" in outcome)) throw new Error(`expected an error, got ${JSON.stringify(outcome.ok)}`);
  return outcome.error;
}

/** A running `npm run reference -- …` child (the CLI as a user starts it), with its output so far. */
export interface ReferenceCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnReferenceCli(args: string[]): ReferenceCli {
  const child = spawn(process.execPath, ["--import", "tsx", "reference/cli.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return { child, stdout: () => out, stderr: () => err, exited: new Promise((resolve) => child.on("exit", resolve)) };
}
