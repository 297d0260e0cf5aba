/** Broken variants of env (reference/runtime.ts) and the tests of conformance/tests/env.ts they must fail. */
import { RUNTIME_SEAMS } from "../../../reference/runtime.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "json-vars-as-strings",
    breaks: ["ENV-VARS"],
    description: "non-string [vars] are delivered as their JSON text instead of the parsed value.",
    mustFail: ["env/vars"],
    seams: [override(RUNTIME_SEAMS, { envVar: (original) => (copier, realm, value) => (typeof value === "string" ? original(copier, realm, value) : JSON.stringify(value)) })],
  },
  {
    name: "imported-env-empty",
    breaks: ["ENV-IMPORTED"],
    description: "the env exported by cloudflare:workers is an empty object instead of the worker's bindings.",
    mustFail: ["env/imported"],
    seams: [override(RUNTIME_SEAMS, { importedEnv: () => (realm) => () => new realm.intrinsics.Object() })],
  },
];
