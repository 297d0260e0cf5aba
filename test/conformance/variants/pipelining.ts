/** Broken variants of pipelining on call thenables (reference/rpc/promise.ts) and the tests of conformance/tests/pipelining.ts they must fail. */
import { createRpcPath, createRpcPromise, RPC_PROMISE_SEAMS } from "../../../reference/rpc/promise.ts";
import { override } from "../../../reference/seams.ts";
import { ownMember, STUB_SEAMS } from "../../../reference/rpc/stubs.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "no-pipelining",
    breaks: ["PIPE-METHOD"],
    description: "names read on a call's thenable are undefined; nothing can be pipelined.",
    mustFail: ["pipelining/method"],
    seams: [override(RPC_PROMISE_SEAMS, { extendPath: (original) => (realm, remote, path, key) => (path.length === 0 ? undefined : original(realm, remote, path, key)) })],
  },
  {
    name: "pipeline-path-truncated",
    breaks: ["PIPE-PROPERTY-PATH"],
    description: "a pipelined path keeps only its last name (make().a.b.m() calls m on the result).",
    mustFail: ["pipelining/property-path"],
    seams: [override(RPC_PROMISE_SEAMS, { extendPath: (original) => (realm, remote, _path, key) => original(realm, remote, [], key) })],
  },
  {
    name: "call-result-not-callable",
    breaks: ["PIPE-CALL-RESULT"],
    description: "calling a call's thenable resolves to undefined instead of calling the result.",
    mustFail: ["pipelining/call-result"],
    seams: [
      override(RPC_PROMISE_SEAMS, {
        callPath: (original) => (realm, remote, path, thisArg, args) =>
          path.length === 0 ? createRpcPromise(realm, realm.intrinsics.Promise.resolve(undefined)) : original(realm, remote, path, thisArg, args),
      }),
    ],
  },
  {
    name: "after-resolve-primitive-not-implemented",
    breaks: ["PIPE-AFTER-RESOLVE"],
    description:
      'after a primitive result has arrived, names pipelined on its thenable reject as not implemented (PIPE-NON-OBJECT\'s error) instead of "Can\'t pipeline".',
    mustFail: ["pipelining/after-resolve"],
    seams: [override(RPC_PROMISE_SEAMS, { pipelineTarget: () => (_realm, remote) => remote })],
  },
  {
    name: "pipeline-depth-unlimited",
    breaks: ["PIPE-DEPTH-LIMIT"],
    description: "pipelined property paths have no length limit; a 66th name is accepted.",
    mustFail: ["pipelining/depth-limit"],
    seams: [override(RPC_PROMISE_SEAMS, { extendPath: () => (realm, remote, path, key) => createRpcPath(realm, remote, [...path, key]) })],
  },
  {
    name: "pipeline-reruns-call",
    breaks: ["PIPE-SAME-INSTANCE"],
    description: "a pipelined call repeats the original call (a new instance) and uses that result.",
    mustFail: ["pipelining/same-instance"],
    seams: [override(STUB_SEAMS, { pipelineRoot: () => (_promise, _arrived, rerun) => Promise.resolve().then(rerun) })],
  },
  {
    name: "pipeline-failure-generic",
    breaks: ["PIPE-FAILURE"],
    description: "when the original call fails, pipelined calls reject with a generic TypeError instead of its error.",
    mustFail: ["pipelining/failure"],
    seams: [
      override(STUB_SEAMS, {
        pipelineRoot: () => (promise, arrived) =>
          promise.then(
            () => arrived.value,
            () => {
              throw new TypeError("the pipelined call's target failed");
            },
          ),
      }),
    ],
  },
  {
    name: "pipeline-ignores-send-failure",
    breaks: ["PIPE-UNSENDABLE-RESULT"],
    description: "when a call's result cannot be sent, names pipelined on it still reach the callee-side value instead of rejecting with the DataCloneError.",
    mustFail: ["pipelining/unsendable-result"],
    seams: [
      override(STUB_SEAMS, {
        // Every result is walked like a binding's getter.
        pipelineRoot: () => (promise, arrived) =>
          promise.then(
            () => arrived.value,
            (error: unknown) => {
              if ("value" in arrived) return arrived.value;
              throw error;
            },
          ),
      }),
    ],
  },
  {
    name: "pipeline-primitive-undefined",
    breaks: ["PIPE-NON-OBJECT"],
    description: "a name pipelined on a primitive result reads as undefined instead of rejecting.",
    mustFail: ["pipelining/non-object"],
    seams: [
      override(STUB_SEAMS, {
        member: (original) => (owner, holder, path, i, via) => ((typeof holder === "object" && holder !== null) || typeof holder === "function" ? original(owner, holder, path, i, via) : undefined),
      }),
    ],
  },
  {
    name: "path-through-any-object",
    breaks: ["PIPE-PATH-NON-PLAIN"],
    description: "a path walks into any object's own properties (arrays, Maps, class instances…), not only plain objects, functions and RpcTargets.",
    mustFail: ["pipelining/path-non-plain"],
    seams: [
      override(STUB_SEAMS, {
        member: (original) => (owner, holder, path, i, via) =>
          typeof holder !== "object" || holder === null || holder instanceof owner.workersModule.RpcTarget ? original(owner, holder, path, i, via) : ownMember(holder, path[i]!),
      }),
    ],
  },
  {
    name: "path-this-lost",
    breaks: ["PIPE-PATH-THIS"],
    description: "a function reached along a path through a plain object is called with this undefined instead of that object.",
    mustFail: ["pipelining/path-this"],
    seams: [override(STUB_SEAMS, { callMember: (original) => (owner, fn, holder, args) => (holder instanceof owner.workersModule.RpcTarget ? original(owner, fn, holder, args) : fn(...args)) })],
  },
];
