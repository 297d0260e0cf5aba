/** Broken variants of pipelining on call thenables (reference/rpc/promise.ts) and the tests of conformance/tests/pipelining.ts they must fail. */
import { createRpcPath, createRpcPromise, RPC_PROMISE_SEAMS } from "../../../reference/rpc/promise.ts";
import { override } from "../../../reference/seams.ts";
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
];
