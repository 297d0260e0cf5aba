/**
 * Workers for the stubs chapter: callee modules that may define RpcTarget classes, and the binding
 * layout those tests share.
 *
 * Deprecated: `callerAndCallee({ targets: true, … })` in support.ts builds the same workers (and
 * `probeResult` replaces `ran`); these stay until stubs.ts, errors.ts and ctx.ts move over.
 * `errorMessage` is not deprecated.
 */
import * as fc from "fast-check";
import type { WorkerSketch } from "../engine/scenario.ts";
import { calleeWorker, callerWorker, code } from "./support.ts";

/** A callee worker named `name` whose module imports WorkerEntrypoint and RpcTarget (and `input` from the harness). */
/** @deprecated Use `callerAndCallee({ targets: true })`. */
export function rpcCallee(name: string, source: string, services: WorkerSketch["services"] = []): WorkerSketch {
  return calleeWorker(name, code(source), { targets: true, services });
}

/**
 * The probe's binding `S` to entrypoint `cls` of worker "callee".
 * @deprecated Use `callerAndCallee({ entrypoint })`.
 */
export const bindS = (cls: string) => [{ binding: "S", service: "callee", entrypoint: cls }];

/**
 * A probe worker like `probeWorker`'s, whose module also imports RpcTarget and starts with
 * `prelude` (module-level classes and state the probe's body uses). An exception escaping the
 * body is reported as `{ probeThrew: error }`; checks read the observation through {@link ran}.
 * @deprecated Use `callerAndCallee({ targets: true, prelude })`.
 */
export function rpcProbe(name: string, prelude: string, body: string, services: WorkerSketch["services"]): WorkerSketch {
  return callerWorker(name, code(body), { services, guarded: true, prelude: code(prelude) });
}

/**
 * An error message with no leading or trailing whitespace: workerd under `2024-04-03` trims a
 * thrown error's leading whitespace (an errors-chapter matter these tests stay clear of).
 */
export const errorMessage = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,:_-]{0,22}[A-Za-z0-9.]$/);

/** The probe's observation, or a failure saying what escaped the probe's body. */
/** @deprecated Use `probeResult` (support.ts), which keeps the observation's type. */
export function ran(observed: unknown): any {
  const o = observed as { probeThrew?: unknown } | null;
  if (o !== null && typeof o === "object" && "probeThrew" in o) {
    const e = o.probeThrew as Error;
    throw new Error(`the probe's own steps failed: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : JSON.stringify(e)}`);
  }
  return observed;
}
