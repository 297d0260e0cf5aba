/** Broken variants of the copy at the boundary (reference/serialize.ts, http-values.ts) and the tests of conformance/tests/serialization.ts they must fail. */
import { HTTP_VALUE_SEAMS } from "../../../reference/http-values.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
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
];
