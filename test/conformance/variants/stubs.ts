/** Broken variants of stubs and the other handles (reference/rpc/stubs.ts, rpc/names.ts) and the tests of conformance/tests/stubs.ts they must fail. */
import { HANDLE_SEAMS } from "../../../reference/rpc/names.ts";
import { ERROR_SEAMS } from "../../../reference/rpc/errors.ts";
import { STUB_DUP_SEAMS } from "../../../reference/rpc/stubs.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
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
    seams: [override(HANDLE_SEAMS, { isRemoteName: () => () => true })],
  },
  {
    name: "spent-stub-dup-works",
    breaks: ["STUB-DISPOSED-SENT"],
    description: "dup() of a spent stub (disposed, or transferred under 2024-04-03) returns a new stub instead of throwing workerd's internal error (the reference before this was fixed).",
    mustFail: ["stubs/spent-stub-forwarded"],
    seams: [override(STUB_DUP_SEAMS, { refuseSpentDup: () => () => {} })],
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
