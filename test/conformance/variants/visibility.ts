/** Broken variants of what a binding shows (reference/binding.ts) and the tests of conformance/tests/visibility.ts they must fail. */
import { BINDING_SEAMS } from "../../../reference/binding.ts";
import { createRpcProperty } from "../../../reference/rpc-promise.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "binding-thenable",
    breaks: ["VIS-THEN"],
    description: "a binding has a then method that resolves with undefined, so awaiting a binding loses it.",
    mustFail: ["visibility/binding-not-thenable"],
    seams: [
      override(BINDING_SEAMS, {
        member: (original) => (object, key, receiver) =>
          key === "then" && !Object.hasOwn(object.target, key)
            ? object.realm.realmFunction("then", (args) => (args[0] as (value: unknown) => void)(undefined))
            : original(object, key, receiver),
      }),
    ],
  },
  {
    name: "local-names-remote",
    breaks: ["VIS-LOCAL-NAMES"],
    description: "Object.prototype names on a binding become RPC calls instead of resolving locally.",
    mustFail: ["visibility/local-names"],
    seams: [
      override(BINDING_SEAMS, {
        member: (original) => (object, key, receiver) =>
          typeof key === "string" && key in object.realm.intrinsics.ObjectPrototype && !Object.hasOwn(object.target, key)
            ? createRpcProperty(object.realm, object.fetcher, key)
            : original(object, key, receiver),
      }),
    ],
  },
  {
    name: "symbol-keys-remote",
    breaks: ["VIS-SYMBOL"],
    description: "a symbol-keyed member of a binding becomes an RPC call named by the symbol's description.",
    mustFail: ["visibility/symbol-keys"],
    seams: [
      override(BINDING_SEAMS, {
        member: (original) => (object, key, receiver) =>
          typeof key === "symbol" && !Object.hasOwn(object.target, key) ? createRpcProperty(object.realm, object.fetcher, key.description ?? "") : original(object, key, receiver),
      }),
    ],
  },
  {
    name: "ascii-method-names",
    breaks: ["VIS-NAME-FUZZ"],
    description: 'method names cross the boundary as ASCII, with every other character replaced by "?".',
    mustFail: ["visibility/name-fuzz"],
    seams: [
      override(BINDING_SEAMS, {
        member: (original) => (object, key, receiver) =>
          original(object, typeof key === "string" && !Object.hasOwn(object.target, key) ? key.replace(/[^\x20-\x7e]/g, "?") : key, receiver),
      }),
    ],
  },
];
