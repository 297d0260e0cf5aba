/** Broken variants of service bindings (reference/binding.ts) and the tests of conformance/tests/bindings.ts they must fail. */
import { BINDING_SEAMS } from "../../../reference/binding.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "fetch-host-messages",
    breaks: ["BIND-FETCH-ARGUMENTS"],
    description: "env.S.fetch() and env.S.connect() with wrong arguments fail with the host's (Node's) checks and wording instead of workerd's.",
    mustFail: ["bindings/fetch-arguments"],
    seams: [override(BINDING_SEAMS, { fetchArgumentsRefusal: () => () => undefined, connectArgumentsRefusal: () => () => undefined })],
  },
];
