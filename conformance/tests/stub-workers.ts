/**
 * Workers for the calls, pipelining and stubs chapters: callee modules that may define RpcTarget
 * classes, and the binding layout those tests share.
 */
import * as fc from "fast-check";
import { HARNESS_SOURCE } from "../engine/scenario.ts";
import { harnessFor } from "../harness/modules.ts";
import type { WorkerSketch } from "../engine/scenario.ts";

/** A callee worker named `name` whose module imports WorkerEntrypoint and RpcTarget (and `input` from the harness). */
export function rpcCallee(name: string, source: string, services: WorkerSketch["services"] = []): WorkerSketch {
  const main = `import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";\nimport { input } from "./harness.js";\n${source}`;
  return { name, modules: { "index.js": main, "harness.js": harnessFor(main) }, services };
}

/** The probe's binding `S` to entrypoint `cls` of worker "callee". */
export const bindS = (cls: string) => [{ binding: "S", service: "callee", entrypoint: cls }];

/**
 * A probe worker like `probeWorker`'s, whose module also imports RpcTarget and starts with
 * `prelude` (module-level classes and state the probe's body uses). An exception escaping the
 * body is reported as `{ probeThrew: error }`; checks read the observation through {@link ran}.
 */
export function rpcProbe(name: string, prelude: string, body: string, services: WorkerSketch["services"]): WorkerSketch {
  const main = [
    `import { RpcTarget } from "cloudflare:workers";`,
    `import { observe, respond, input, observeDeep } from "./harness.js";`,
    prelude,
    `export default {`,
    `  async fetch(request, env, ctx) {`,
    `    try {`,
    body,
    `    } catch (error) {`,
    `      return respond({ probeThrew: error });`,
    `    }`,
    `  },`,
    `};`,
  ].join("\n");
  return { name, modules: { "index.js": main, "harness.js": HARNESS_SOURCE }, services };
}

/**
 * An error message with no leading or trailing whitespace: workerd under `2024-04-03` trims a
 * thrown error's leading whitespace (an errors-chapter matter these tests stay clear of).
 */
export const errorMessage = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,:_-]{0,22}[A-Za-z0-9.]$/);

/** The probe's observation, or a failure saying what escaped the probe's body. */
export function ran(observed: unknown): any {
  const o = observed as { probeThrew?: unknown } | null;
  if (o !== null && typeof o === "object" && "probeThrew" in o) {
    const e = o.probeThrew as Error;
    throw new Error(`the probe's own steps failed: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : JSON.stringify(e)}`);
  }
  return observed;
}
