/** Broken variants of call thenables and property paths (reference/rpc/promise.ts, rpc/binding.ts) and the tests of conformance/tests/calls.ts they must fail. */
import { BINDING_SEAMS } from "../../../reference/rpc/binding.ts";
import { createRpcPromise, RPC_PROMISE_SEAMS } from "../../../reference/rpc/promise.ts";
import { override } from "../../../reference/seams.ts";
import { STUB_SEAMS } from "../../../reference/rpc/stubs.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "call-result-is-promise",
    breaks: ["CALL-THENABLE-NOT-PROMISE"],
    description: "a call on a binding returns a plain Promise of the caller's realm.",
    mustFail: ["calls/thenable"],
    seams: [override(BINDING_SEAMS, { callResult: () => (_realm, promise) => promise })],
  },
  {
    name: "eager-property",
    breaks: ["CALL-LAZY-PROPERTY"],
    description: "reading a property path sends the read at once, and every await of it sees that one read.",
    mustFail: ["calls/lazy-property"],
    seams: [
      override(RPC_PROMISE_SEAMS, {
        pathReader: (original) => (remote, path) => {
          const read = original(remote, path)();
          return () => read;
        },
      }),
    ],
  },
  {
    name: "detached-method-fails",
    breaks: ["CALL-DETACHED"],
    description: "a method read off a binding or stub and called without its receiver rejects with TypeError.",
    mustFail: ["calls/detached"],
    seams: [
      override(RPC_PROMISE_SEAMS, {
        callPath: (original) => (realm, remote, path, thisArg, args) => {
          if (thisArg !== undefined || path.length === 0) return original(realm, remote, path, thisArg, args);
          const failed = realm.intrinsics.Promise.reject(new realm.intrinsics.errors.TypeError("Illegal invocation"));
          failed.catch(() => {});
          return createRpcPromise(realm, failed);
        },
      }),
    ],
  },
  {
    name: "promise-dispose-noop",
    breaks: ["CALL-PROMISE-DISPOSE"],
    description: "a call's thenable's [Symbol.dispose]() does nothing: pipelining on it still works and its result's stubs stay usable.",
    mustFail: ["calls/promise-dispose"],
    seams: [override(RPC_PROMISE_SEAMS, { disposeCall: () => () => false })],
  },
  {
    name: "reorder-calls",
    breaks: ["CALL-E-ORDER"],
    description: "every other call made on a stub or a result is delayed by a timer, so calls can arrive out of order.",
    mustFail: ["calls/e-order"],
    seams: [
      override(STUB_SEAMS, {
        schedule: () => {
          let calls = 0;
          return (run) => {
            if (calls++ % 2 === 0) setTimeout(run, 1);
            else queueMicrotask(run);
          };
        },
      }),
    ],
  },
];
