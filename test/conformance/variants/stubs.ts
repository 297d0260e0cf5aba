/** Broken variants of stubs and the other handles (reference/rpc/stubs.ts, rpc/names.ts) and the tests of conformance/tests/stubs.ts they must fail. */
import { HANDLE_SEAMS } from "../../../reference/rpc/names.ts";
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
];
