/** Broken variants of what a binding shows (reference/rpc/binding.ts, rpc/dispatcher.ts) and the tests of conformance/tests/visibility.ts they must fail. */
import { BINDING_SEAMS } from "../../../reference/rpc/binding.ts";
import { DISPATCH_SEAMS, findOnPrototypes, type Member } from "../../../reference/rpc/dispatcher.ts";
import { createRpcProperty } from "../../../reference/rpc/promise.ts";
import { LOADER_SEAMS } from "../../../reference/loading/loader.ts";
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
  {
    name: "unknown-method-resolves-undefined",
    breaks: ["VIS-UNKNOWN-METHOD"],
    description: "calling a method the entrypoint lacks resolves to undefined instead of rejecting.",
    mustFail: ["visibility/unknown-method"],
    seams: [override(DISPATCH_SEAMS, { memberMissing: () => () => undefined })],
  },
  {
    name: "getters-unreachable",
    breaks: ["VIS-PROTOTYPE-GETTER"],
    description: "accessors on the prototype chain are skipped, so getters are not reachable over RPC.",
    mustFail: ["visibility/prototype-getter"],
    seams: [
      override(DISPATCH_SEAMS, {
        prototypeMember: () => (Class, name, worker) => {
          const stops = new Set<object>([worker.workersModule.WorkerEntrypoint.prototype, worker.realm.intrinsics.ObjectPrototype]);
          for (let o: object | null = Class.prototype; o !== null && !stops.has(o); o = Object.getPrototypeOf(o) as object | null) {
            const descriptor = Object.getOwnPropertyDescriptor(o, name);
            if (descriptor !== undefined && "value" in descriptor) return { value: descriptor.value } as Member;
          }
          return null;
        },
      }),
    ],
  },
  {
    name: "call-non-function-resolves",
    breaks: ["VIS-NOT-A-FUNCTION"],
    description: "calling a member whose value is not a function resolves to that value instead of rejecting.",
    mustFail: ["visibility/prototype-getter"],
    seams: [override(DISPATCH_SEAMS, { notCallable: () => (_name, value) => value })],
  },
  {
    name: "own-class-only",
    breaks: ["VIS-INHERITED"],
    description: "only the entrypoint class's own prototype is searched; methods of user superclasses are not reachable.",
    mustFail: ["visibility/inherited"],
    seams: [
      override(DISPATCH_SEAMS, {
        prototypeMember: () => (Class, name) => findOnPrototypes(Class.prototype, name, new Set([Object.getPrototypeOf(Class.prototype) as object]), false),
      }),
    ],
  },
  {
    name: "own-properties-reachable",
    breaks: ["VIS-OWN-PROPERTIES"],
    description: "own instance properties (fields, this.x = ...) other than env/ctx are reachable over RPC.",
    mustFail: ["visibility/own-static-env-ctx"],
    seams: [
      override(DISPATCH_SEAMS, {
        ownMember: (original) => (instance, name) => (name === "env" || name === "ctx" ? original(instance, name) : { value: (instance as Record<string, unknown>)[name] }),
      }),
    ],
  },
  {
    name: "statics-reachable",
    breaks: ["VIS-STATIC"],
    description: "a name missing on the prototype chain is looked up among the class's static members too.",
    mustFail: ["visibility/own-static-env-ctx"],
    seams: [
      override(DISPATCH_SEAMS, {
        prototypeMember: (original) => (Class, name, worker) =>
          original(Class, name, worker) ?? findOnPrototypes(Class, name, new Set([worker.workersModule.WorkerEntrypoint]), false),
      }),
    ],
  },
  {
    name: "env-ctx-reachable",
    breaks: ["VIS-ENV-CTX"],
    description: "this.env and this.ctx are reachable over RPC as properties.",
    mustFail: ["visibility/own-static-env-ctx"],
    seams: [
      override(DISPATCH_SEAMS, {
        ownMember: (original) => (instance, name) => (name === "env" || name === "ctx" ? { value: (instance as Record<string, unknown>)[name] } : original(instance, name)),
      }),
    ],
  },
  {
    name: "reserved-callable",
    breaks: ["VIS-RESERVED"],
    description: "dup, alarm and the webSocket* handlers are dispatched like any method when the class defines them.",
    mustFail: ["visibility/reserved"],
    seams: [override(DISPATCH_SEAMS, { isReserved: () => (name) => name === "fetch" || name === "connect" || name === "constructor" })],
  },
  {
    name: "expose-private",
    breaks: ["VIS-PRIVATE"],
    description: "the loader rewrites #private class members into public string-keyed ones, so they become callable over RPC.",
    mustFail: ["visibility/private-members"],
    seams: [
      override(LOADER_SEAMS, {
        moduleSource: () => async (name, source) => {
          const { exposePrivateMembers } = await import("./expose-private.ts");
          return exposePrivateMembers(name, source);
        },
      }),
    ],
  },
];
