/** Broken variants of the copy at the boundary (reference/copy/serialize.ts, copy/http-values.ts, rpc/binding.ts) and the tests of conformance/tests/serialization.ts they must fail. */
import { BINDING_SEAMS } from "../../../reference/rpc/binding.ts";
import { HTTP_VALUE_SEAMS } from "../../../reference/copy/http-values.ts";
import { override } from "../../../reference/seams.ts";
import { STUB_SEAMS } from "../../../reference/rpc/stubs.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "args-by-reference",
    breaks: ["SER-COPY-ARGS"],
    description: "arguments reach the callee by reference instead of being copied.",
    mustFail: ["serialization/copy-arguments", "serialization/copy-table-both-ways"],
    seams: [override(BINDING_SEAMS, { sendArguments: () => (_stubs, args) => ({ values: args, release() {} }) })],
  },
  {
    name: "result-by-reference",
    breaks: ["SER-COPY-RESULT"],
    description: "results reach the caller by reference instead of being copied.",
    mustFail: ["serialization/copy-result", "serialization/copy-table-both-ways"],
    seams: [override(BINDING_SEAMS, { receiveResult: () => (_stubs, value) => value })],
  },
  {
    name: "response-body-dropped",
    breaks: ["SER-RESPONSE"],
    description: "a Response crosses with its status and headers but no body.",
    mustFail: ["serialization/http-types"],
    seams: [
      override(HTTP_VALUE_SEAMS, {
        copyBodyValue: (original) => (value, to) =>
          value instanceof Response ? new Response(null, { status: value.status, statusText: value.statusText, headers: value.headers }) : original(value, to),
      }),
    ],
  },
  {
    name: "entrypoints-as-stubs",
    breaks: ["SER-REJECT-ENTRYPOINT"],
    description: "a WorkerEntrypoint instance in an argument or result crosses as a stub (like an RpcTarget) instead of being refused.",
    mustFail: ["serialization/entrypoint-refused"],
    seams: [override(STUB_SEAMS, { crossesByReference: (original) => (value, context) => original(value, context) || value instanceof context.from.workersModule.WorkerEntrypoint })],
  },
];
