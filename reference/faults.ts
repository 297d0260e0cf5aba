/**
 * Deliberately broken variants of the runtime.
 *
 * The project proves that each conformance test can fail by running it against the reference with
 * one fault switched on: a test that still passes under the fault for its requirement checks
 * nothing. Each fault breaks exactly one requirement, at the single place in the code where that
 * requirement is implemented; grep for the fault's key to find it (the line also names the
 * requirement ID).
 *
 * Normal mode pays one boolean check per fault site and nothing else.
 */

export const FAULTS = {
  "class-exports-not-entrypoints":
    "ENTRY-CLASS-EXPORT: named class exports are not treated as entrypoints; every RPC call to a named export rejects as not implemented.",
  "sync-result-not-thenable":
    "ENTRY-SYNC-ASYNC: calling a synchronous method returns the plain copied value synchronously instead of a thenable.",
  "append-env-ctx": "ENTRY-ARGUMENTS: methods are invoked with (...args, env, ctx) instead of exactly the caller's arguments.",
  "reuse-instance":
    "ENTRY-NEW-INSTANCE, ENTRY-STATELESS: one instance per (worker, entrypoint) is constructed on the first call and reused.",
  "constructor-args-swapped": "ENTRY-CONSTRUCTOR: the entrypoint class is constructed with (env, ctx) instead of (ctx, env).",
  "fetch-as-rpc":
    "ENTRY-FETCH: env.SVC.fetch(...) is dispatched like an RPC method with the raw arguments; no Request is built.",
  "expose-private":
    "VIS-PRIVATE: the loader rewrites #private class members into public string-keyed ones, so they become callable over RPC.",
  "unknown-method-resolves-undefined": "VIS-UNKNOWN-METHOD: calling a method the entrypoint lacks resolves to undefined instead of rejecting.",
  "json-vars-as-strings": "ENV-VARS: non-string [vars] are delivered as their JSON text instead of the parsed value.",
  "callee-sees-caller-env": "ENV-CALLEE-OWN: the callee entrypoint is constructed with the caller's env instead of its own.",
  "callee-env-without-services":
    "ENV-SERVICE-BINDINGS: only the worker receiving HTTP requests gets service bindings in env; workers reached over RPC get vars only.",
  "ctx-without-waituntil": "CTX-PRESENT: ctx has no waitUntil method.",
  "drop-waituntil":
    "CTX-WAITUNTIL: waitUntil ignores its promise and timers the callee started during a call are cleared when the call returns.",
  "ignore-entrypoint": "BIND-NAMED-ENTRYPOINT: a binding's entrypoint key is ignored; bindings always reach the default export.",
  "default-is-first-named":
    "BIND-DEFAULT-ENTRYPOINT: a binding without entrypoint reaches the first named WorkerEntrypoint export instead of the default.",
  "merge-entrypoints":
    "BIND-ENTRYPOINT-ISOLATION: a name missing on the bound entrypoint is looked up on the worker's other exported entrypoints too.",
  "args-by-reference": "SER-COPY-ARGS: arguments reach the callee by reference instead of being copied.",
  "result-by-reference": "SER-COPY-RESULT: results reach the caller by reference instead of being copied.",
  "lossy-strings": "SER-BASIC-VALUES: strings cross through a UTF-8 encode/decode round trip, so lone surrogates become U+FFFD.",
} as const satisfies Record<string, string>;

/** The key of one deliberately broken variant; see {@link FAULTS} for what each breaks. */
export type Fault = keyof typeof FAULTS;

/** Which faults are on, as plain booleans so a fault site costs one property read. */
export type FaultSwitches = Readonly<Record<Fault, boolean>>;

/** Turn the caller's list into switches, refusing names that are not faults (a typo would otherwise test nothing). */
export function resolveFaults(faults: Iterable<Fault> | undefined): FaultSwitches {
  const switches = Object.fromEntries(Object.keys(FAULTS).map((key) => [key, false])) as Record<Fault, boolean>;
  for (const fault of faults ?? []) {
    if (!Object.hasOwn(FAULTS, fault)) {
      throw new TypeError(`unknown fault "${String(fault)}"; known faults: ${Object.keys(FAULTS).join(", ")}`);
    }
    switches[fault] = true;
  }
  return Object.freeze(switches);
}
