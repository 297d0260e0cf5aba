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
 *
 * Being replaced (issue 12): faults move one runtime file at a time to broken variants declared in
 * test/conformance/variants/, which replace named steps (seams.ts) instead of branching here.
 */

export const FAULTS = {
  "sync-result-not-thenable":
    "ENTRY-SYNC-ASYNC: calling a synchronous method returns the plain copied value synchronously instead of a thenable.",
  "fetch-as-rpc":
    "ENTRY-FETCH: env.SVC.fetch(...) is dispatched like an RPC method with the raw arguments; no Request is built.",
  "entrypoint-needs-runtime-ctx":
    "ENTRY-INSTANCEOF: WorkerEntrypoint's constructor throws unless its ctx has a waitUntil method, so user code cannot construct an entrypoint with its own objects.",
  "entrypoint-untagged": "ENTRY-STRING-TAG: WorkerEntrypoint and RpcTarget carry no Symbol.toStringTag, whatever the compatibility settings.",
  "entrypoint-takes-anything": "ENTRY-INSTANCEOF: WorkerEntrypoint's constructor accepts any ctx and env (none, primitives) instead of refusing a non-object with workerd's TypeError.",
  "expose-private":
    "VIS-PRIVATE: the loader rewrites #private class members into public string-keyed ones, so they become callable over RPC.",
  "params-released-before-result": "STUB-ECHO: a callee's parameter stubs are released before its result is copied, so a stub it returns arrives disposed (calls through a binding).",
  "bindings-copied-empty": "BIND-PASSED-OVER-RPC: a service binding passed or returned over RPC is copied as a plain object (arriving empty) instead of crossing by reference.",
  "handles-plain-prototype": "STUB-SURFACE: a binding has Object.prototype as prototype (no class of its own: constructor reads Object and can be constructed); stubs and thenables are the variant stubs-and-thenables-plain-prototype.",
  "json-reads-remote-tojson": "STUB-SURFACE: JSON.stringify of a binding reads its remote toJSON like any name, so it makes a call and gives undefined instead of \"{}\"; stubs and thenables are the variant stubs-and-thenables-json-remote-tojson.",
  "loopback-plain-binding": "CTX-EXPORTS: ctx.exports.X is an ordinary binding object (typeof object, not callable), so ctx.exports.X({ props }) throws instead of giving a binding with those props.",
  "drop-waituntil":
    "CTX-WAITUNTIL: waitUntil ignores its promise and timers the callee started during a call are cleared when the call returns.",
  "merge-entrypoints":
    "BIND-ENTRYPOINT-ISOLATION: a name missing on the bound entrypoint is looked up on the worker's other exported entrypoints too.",
  "non-entrypoint-served": "BIND-NOT-ENTRYPOINT: a function export or a class not extending WorkerEntrypoint is served like an entrypoint class (constructed per call, its members called) instead of failing every call.",
  "bundler-default-name": "BIND-DEFAULT-ANONYMOUS-NAME: an anonymous default export keeps the name the bundler gave its variable (index_default) instead of \"default\".",
  "proxies-copied": "SER-PROXY: a program's Proxy is copied through its traps (as a plain object or an array) instead of crossing as a stub, and no Proxy is refused.",
  "lossy-strings": "SER-BASIC-VALUES: strings cross through a UTF-8 encode/decode round trip, so lone surrogates become U+FFFD.",
  "holes-become-undefined": "SER-HOLES: array holes arrive as elements holding undefined.",
  "dates-as-numbers": "SER-DATE: a Date arrives as its time value (a number).",
  "regexp-keeps-lastindex": "SER-REGEXP: a RegExp's lastIndex is copied instead of starting at 0.",
  "map-entries-reversed": "SER-MAP-SET: a Map's entries arrive in reverse insertion order.",
  "arraybuffers-zeroed": "SER-ARRAYBUFFER: an ArrayBuffer arrives with the right length but all bytes zero.",
  "views-own-buffer": "SER-TYPED-ARRAYS: each typed array arrives over a buffer of its own holding only its window (byteOffset 0, no sharing).",
  "dataview-offset-zero": "SER-DATAVIEW: a DataView arrives with byteOffset 0 instead of its own.",
  "boxed-unboxed": "SER-BOXED: boxed primitives (new Number(1), Object(1n)…) arrive as plain primitives.",
  "shared-refs-copied-twice": "SER-SHARED-REFS: an object reached twice within one message is copied twice (cycles still work).",
  "error-values-legacy": "SER-ERROR-VALUES: error values always use the legacy format (own properties and custom names dropped) whatever the profile.",
  "non-enumerable-copied": "SER-OWN-ENUMERABLE: every own string-keyed property of an object or array is copied, non-enumerable ones included.",
  "class-instances-as-plain": "SER-REJECT-CLASS-INSTANCE: instances of classes not extending RpcTarget cross as plain objects instead of being rejected.",
  "null-prototype-as-plain": "SER-REJECT-NULL-PROTOTYPE: null-prototype objects cross as plain objects instead of being rejected.",
  "generic-reject-message": "SER-REJECT-OTHER: WeakMap, WeakSet, Promise… are rejected with the class-instance message instead of '#<X> could not be cloned.'.",
  "dom-exception-keeps-properties": "SER-DOMEXCEPTION: a DOMException passed or returned keeps the own properties the program added to it.",
  "iterators-class-message": "SER-REJECT-ITERATOR: generators and built-in iterators are refused with the class-instance message instead of '[object Generator] could not be cloned.'.",
  "rpc-thenables-as-stubs": "SER-REJECT-RPC-PROMISE: an RPC call's thenable or an unawaited RPC property inside a value crosses as a function stub instead of being refused.",
  "no-message-size-limit": "LIMIT-MESSAGE-SIZE: arguments and results over 32 MiB are delivered instead of rejected.",
  "size-counts-data-only": "LIMIT-WIRE-SIZE: the 32 MiB limit counts the data bytes only, not V8's serialized form (header, tags, lengths).",
  "strings-count-one-byte": "LIMIT-STRING-SIZE: a string counts one byte per code unit toward the 32 MiB limit, even with code units above U+00FF.",
  "shallow-nesting-limit": "LIMIT-DEEP-NESTING: arrays and objects nested more than 100 levels deep are refused with a RangeError.",
  "thrown-null-prototype-as-text": "ERR-NON-ERROR-THROW: under enhanced errors a thrown null-prototype object arrives as an Error with text instead of a plain copy.",
  "error-name-strings-only": "SER-ERROR-VALUES: under enhanced errors only a string name travels; a non-string name (7) is dropped.",
  "error-stack-copied": "SER-ERROR-STACK: an error value's stack is the sender's stack text whenever that is a string, else the receiver's own new stack, whatever the profile.",
  "api-tags-never": "SER-HOST-TAG: a worker's DOMException never carries Symbol.toStringTag, as before set_tostring_tag, whatever its compatibility date.",
  "status-text-as-given": "BIND-FETCH-STATUS-TEXT: the Response of binding.fetch() keeps the callee's empty statusText instead of the status's reason phrase.",
  "fetch-scheme-unchecked": "BIND-FETCH-ARGUMENTS: binding.fetch() takes any URL scheme (ftp:, ws:, file:…) and an explicit undefined input as a missing one, instead of workerd's refusals.",
  "connect-returns-promise": "BIND-CONNECT-SOCKET: binding.connect() with a good address returns a rejected promise instead of a Socket.",
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
