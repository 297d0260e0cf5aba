/** Broken variants of stubs and the other handles (reference/rpc/stubs.ts, rpc/names.ts) and the tests of conformance/tests/stubs.ts they must fail. */
import { HANDLE_SEAMS, isArrayIndex } from "../../../reference/rpc/names.ts";
import { STUB_SEAMS } from "../../../reference/rpc/stubs.ts";
import { ERROR_SEAMS, toCallerError } from "../../../reference/rpc/errors.ts";
import { BINDING_SEAMS } from "../../../reference/rpc/binding.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "params-released-before-result",
    breaks: ["STUB-ECHO"],
    description: "a callee's parameter stubs are released before its result is copied, so a stub it returns arrives disposed (calls through a binding).",
    mustFail: ["stubs/echo"],
    seams: [
      override(BINDING_SEAMS, {
        receiveResult: (original) => (stubs, value, callee, caller, params) => {
          params?.release();
          return original(stubs, value, callee, caller);
        },
      }),
    ],
  },
  {
    name: "handles-look-like-functions",
    breaks: ["STUB-SURFACE"],
    description: "stubs, call thenables and property handles are ordinary functions: instanceof Function, own length/name keys, not instanceof RpcStub.",
    mustFail: ["stubs/surface"],
    seams: [override(HANDLE_SEAMS, { handleTarget: () => (realm) => realm.newCallable(), bareSurface: () => () => {} })],
  },
  {
    name: "handles-deny-in",
    breaks: ["STUB-SURFACE"],
    description: "`name in x` is false for the names a stub, thenable, property handle or binding answers (no has trap).",
    mustFail: ["stubs/surface"],
    seams: [override(HANDLE_SEAMS, { has: () => (target, key) => Reflect.has(target, key) })],
  },
  {
    name: "index-names-pipelined",
    breaks: ["STUB-SURFACE"],
    description: 'array-index names ("0", "42") on a stub or a call\'s thenable are remote names, so p[0]() pipelines into an array element.',
    mustFail: ["stubs/surface"],
    seams: [override(HANDLE_SEAMS, { isRemoteName: (original) => (key) => isArrayIndex(key) || original(key) })],
  },
  {
    name: "handles-plain-prototype",
    breaks: ["STUB-SURFACE"],
    description: "a binding, a stub, a call's thenable and a property handle have Object.prototype as prototype (no class of their own: constructor reads Object and can be constructed).",
    mustFail: ["stubs/surface-classes"],
    seams: [override(HANDLE_SEAMS, { classPrototype: () => () => undefined, handleTarget: (original) => (realm) => original(realm, realm.intrinsics.ObjectPrototype) })],
  },
  {
    name: "json-reads-remote-tojson",
    breaks: ["STUB-SURFACE"],
    description: "JSON.stringify of a binding, a stub, a call's thenable or a property handle reads its remote toJSON like any name, so it makes a call (and gives undefined instead of \"{}\" for a binding).",
    mustFail: ["stubs/surface-classes"],
    seams: [override(HANDLE_SEAMS, { isRemoteName: (original) => (key) => key === "toJSON" || original(key) })],
  },
  {
    name: "function-results-refused",
    breaks: ["STUB-FUNCTION"],
    description: "a function in a result is refused as uncloneable instead of crossing as a stub.",
    mustFail: ["stubs/function"],
    seams: [override(STUB_SEAMS, { crossesByReference: (original) => (value, context) => !(typeof value === "function" && context.kind === "result") && original(value, context) })],
  },
  {
    name: "function-arguments-refused",
    breaks: ["STUB-FUNCTION-ARG"],
    description: "a function in the arguments is refused as uncloneable instead of crossing as a stub.",
    mustFail: ["stubs/function-arg"],
    seams: [override(STUB_SEAMS, { crossesByReference: (original) => (value, context) => !(typeof value === "function" && context.kind === "arguments") && original(value, context) })],
  },
  {
    name: "nested-stubs-refused",
    breaks: ["STUB-NESTED"],
    description: "a new function or RpcTarget inside an object or array is refused; only top-level ones cross as stubs.",
    mustFail: ["stubs/nested"],
    seams: [override(STUB_SEAMS, { crossesByReference: (original) => (value, context) => context.values.includes(value) && original(value, context) })],
  },
  {
    name: "rpctarget-own-properties-visible",
    breaks: ["STUB-RPCTARGET"],
    description: "own properties of an RpcTarget are reachable through its stubs.",
    mustFail: ["stubs/rpctarget"],
    seams: [
      override(STUB_SEAMS, {
        member: (original) => (owner, holder, path, i, via) =>
          holder instanceof owner.workersModule.RpcTarget && Object.hasOwn(holder, path[i]!) ? (holder as Record<string, unknown>)[path[i]!] : original(owner, holder, path, i, via),
      }),
    ],
  },
  {
    name: "rpctarget-statics-reachable",
    breaks: ["STUB-RPCTARGET-HIDDEN"],
    description: "a name missing on an RpcTarget's prototype chain is looked up among its class's static members too.",
    mustFail: ["stubs/rpctarget-hidden"],
    seams: [
      override(STUB_SEAMS, {
        member: (original) => (owner, holder, path, i, via) => {
          const name = path[i]!;
          if (!(holder instanceof owner.workersModule.RpcTarget) || Object.hasOwn(holder, name)) return original(owner, holder, path, i, via);
          try {
            return original(owner, holder, path, i, via);
          } catch (error) {
            const statics = (holder as { constructor?: unknown }).constructor as Record<string, unknown> | undefined;
            if (typeof statics === "function" && name in statics) return statics[name];
            throw error;
          }
        },
      }),
    ],
  },
  {
    name: "forward-stub-refused",
    breaks: ["STUB-FORWARD"],
    description: "a stub cannot be passed on to another worker (refused as uncloneable).",
    mustFail: ["stubs/forward"],
    seams: [override(STUB_SEAMS, { forward: () => () => undefined })],
  },
  {
    name: "dispose-noop",
    breaks: ["STUB-DISPOSE"],
    description: "[Symbol.dispose]() on a stub does nothing; the stub keeps working.",
    mustFail: ["stubs/lifecycle-model"],
    seams: [override(STUB_SEAMS, { dispose: () => () => {} })],
  },
  {
    name: "dup-shares-handle",
    breaks: ["STUB-DUP"],
    description: "dup() returns the same handle, so disposing the original disposes the duplicate too.",
    mustFail: ["stubs/lifecycle-model", "stubs/rpctarget-disposer"],
    seams: [override(STUB_SEAMS, { dup: () => (handle) => handle })],
  },
  {
    name: "params-always-transfer",
    breaks: ["STUB-PARAM-OWNERSHIP"],
    description: "a stub passed as an argument is disposed on the caller's side under every profile.",
    mustFail: ["stubs/lifecycle-model"],
    seams: [override(STUB_SEAMS, { paramsTransfer: () => () => true })],
  },
  {
    name: "result-dispose-noop",
    breaks: ["STUB-RESULT-DISPOSE"],
    description: "disposing a returned object leaves the stubs inside it usable.",
    mustFail: ["stubs/result-dispose"],
    seams: [override(STUB_SEAMS, { resultDispose: (original) => (to, copy) => original(to, copy, []) })],
  },
  {
    name: "result-dispose-only-with-stubs",
    breaks: ["STUB-RESULT-DISPOSE"],
    description: "only a result that holds stubs gets an own [Symbol.dispose]; a result of plain data has none.",
    mustFail: ["stubs/result-shape"],
    seams: [
      override(STUB_SEAMS, {
        resultDispose: (original) => (to, copy, made) => {
          if (made.length > 0) original(to, copy, made);
        },
      }),
    ],
  },
  {
    name: "target-disposer-never-runs",
    breaks: ["STUB-RPCTARGET-DISPOSER"],
    description: "an RpcTarget's [Symbol.dispose] never runs when its last stub is disposed.",
    mustFail: ["stubs/rpctarget-disposer"],
    seams: [override(STUB_SEAMS, { lastHandleGone: () => () => {} })],
  },
  {
    name: "disposer-once-per-target",
    breaks: ["STUB-SAME-TARGET"],
    description: "an RpcTarget's disposer runs only the first time its stubs are all gone, not once per call that sent it.",
    mustFail: ["stubs/same-target"],
    seams: [
      override(STUB_SEAMS, {
        lastHandleGone: (original) => {
          const released = new WeakSet<object>();
          return (owner, value) => {
            if (released.has(value)) return;
            released.add(value);
            original(owner, value);
          };
        },
      }),
    ],
  },
  {
    name: "async-disposer-runs",
    breaks: ["STUB-ASYNC-DISPOSE-IGNORED"],
    description: "an RpcTarget with no [Symbol.dispose] has its [Symbol.asyncDispose] called as its disposer.",
    mustFail: ["stubs/async-dispose-ignored"],
    seams: [override(STUB_SEAMS, { disposerOf: (original) => (value) => (Symbol.dispose in value ? original(value) : (value as Record<symbol, unknown>)[Symbol.asyncDispose]) })],
  },
  {
    name: "params-kept-after-call",
    breaks: ["STUB-PARAMS-RELEASED"],
    description: "stubs a callee received as arguments stay usable after its call returns.",
    mustFail: ["stubs/params-released"],
    seams: [override(STUB_SEAMS, { releaseParams: () => () => {} })],
  },

  {
    name: "rpcstub-returns-value",
    breaks: ["STUB-RPCSTUB-WRAP"],
    description: "new RpcStub(value) returns value itself, so calls through it are plain local calls (no thenable, nothing copied).",
    mustFail: ["stubs/rpcstub-wrap"],
    seams: [override(STUB_SEAMS, { newRpcStub: (original) => (value, worker) => original(value, worker, (wrapped) => wrapped) })],
  },
  {
    name: "rpcstub-wraps-anything",
    breaks: ["STUB-RPCSTUB-REFUSED"],
    description: "new RpcStub(value) wraps any object (arrays, Maps, class instances…) instead of throwing TypeError.",
    mustFail: ["stubs/rpcstub-refused"],
    seams: [override(STUB_SEAMS, { newRpcStub: (original) => (value, worker, stubOf) => (typeof value === "object" && value !== null ? stubOf(value) : original(value, worker, stubOf)) })],
  },
  {
    name: "rpcstub-leaks-target",
    breaks: ["STUB-RPCSTUB-DISPOSE"],
    description: "new RpcStub(value) keeps an extra hold on value (a dup never disposed), so its disposer never runs when the stub and its dups are disposed.",
    mustFail: ["stubs/rpcstub-dispose"],
    seams: [
      override(STUB_SEAMS, {
        newRpcStub: (original) => (value, worker, stubOf) => {
          const stub = original(value, worker, stubOf) as { dup(): unknown };
          stub.dup();
          return stub;
        },
      }),
    ],
  },
  {
    name: "dup-dispatched-past-stubs",
    breaks: ["STUB-RESERVED-DUP"],
    description: "a call or read named dup on a call's result or past a stub runs the target's own dup (or rejects as not implemented) instead of rejecting as reserved.",
    mustFail: ["stubs/reserved-dup"],
    seams: [override(STUB_SEAMS, { refuseReserved: () => () => {} })],
  },
  {
    name: "stub-errors-not-remote",
    breaks: ["STUB-TARGET-ERRORS"],
    description: "an error thrown by a stub's target (RpcTarget method, function, callback) reaches the holder without remote = true.",
    mustFail: ["stubs/target-errors"],
    seams: [override(STUB_SEAMS, { targetError: () => (error, holder) => toCallerError(error, holder, { remote: false }) })],
  },
  {
    name: "disposed-stub-refused",
    breaks: ["STUB-DISPOSED-SENT"],
    description: "sending a disposed stub (or one transferred away) fails the call at once, locally, instead of sending a disposed stub.",
    mustFail: ["stubs/disposed-sent"],
    seams: [
      override(STUB_SEAMS, {
        forward: (original) => (handle, context) => {
          if (handle.disposed) throw new context.from.realm.intrinsics.errors.Error("RPC stub used after being disposed.");
          return original(handle, context);
        },
      }),
    ],
  },
  {
    name: "dup-disposed-works",
    breaks: ["STUB-DISPOSED-SENT"],
    description: "dup() of a disposed or transferred stub returns a working stub instead of throwing.",
    mustFail: ["stubs/disposed-sent", "stubs/spent-stub-forwarded"],
    seams: [
      override(STUB_SEAMS, {
        dup: (original) => (handle) => {
          if (!handle.disposed) return original(handle);
          handle.disposed = false; // dup it as if it were live
          try {
            return original(handle);
          } finally {
            handle.disposed = true;
          }
        },
      }),
    ],
  },
  {
    name: "relayed-errors-not-remote",
    breaks: ["STUB-DISPOSED-SENT", "ERR-REMOTE"],
    description: "an error a callee got from a call of its own (a forwarded stub's call) and lets escape reaches its caller without remote = true.",
    mustFail: ["stubs/spent-stub-forwarded"],
    seams: [
      override(ERROR_SEAMS, {
        crossThrown: (original) => (thrown, caller, options) => {
          const error = original(thrown, caller, options);
          let relayed = false;
          try {
            relayed = typeof thrown === "object" && thrown !== null && Object.getOwnPropertyDescriptor(thrown, "remote")?.value === true;
          } catch {
            // a Proxy whose traps throw: not an error from a call
          }
          if (relayed) delete (error as { remote?: boolean }).remote;
          return error;
        },
      }),
    ],
  },
];
