/** Broken variants of service bindings (reference/rpc/binding.ts, runtime.ts, rpc/dispatcher.ts) and the tests of conformance/tests/bindings.ts they must fail. */
import { BINDING_SEAMS } from "../../../reference/rpc/binding.ts";
import { DISPATCH_SEAMS, type EntrypointClass } from "../../../reference/rpc/dispatcher.ts";
import { RUNTIME_SEAMS } from "../../../reference/runtime.ts";
import { LOADER_SEAMS } from "../../../reference/loading/loader.ts";
import { override } from "../../../reference/seams.ts";
import type { WorkerRealm } from "../../../reference/loading/realm.ts";
import { isEntrypointClass } from "../../../reference/loading/workers-module.ts";
import { socketFailure } from "../../../reference/rpc/socket.ts";
import { COPY_SEAMS } from "../../../reference/copy/serialize.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "fetch-host-messages",
    breaks: ["BIND-FETCH-ARGUMENTS"],
    description: "env.S.fetch() and env.S.connect() with wrong arguments fail with the host's (Node's) checks and wording instead of workerd's.",
    mustFail: ["bindings/fetch-arguments"],
    seams: [override(BINDING_SEAMS, { fetchArgumentsRefusal: () => () => undefined, connectArgumentsRefusal: () => () => undefined })],
  },
  {
    name: "ignore-entrypoint",
    breaks: ["BIND-NAMED-ENTRYPOINT"],
    description: "a binding's entrypoint key is ignored; bindings always reach the default export.",
    mustFail: ["bindings/named-entrypoint"],
    seams: [override(RUNTIME_SEAMS, { targetExport: (original) => (caller, service, target) => original(caller, { ...service, entrypoint: undefined }, target) })],
  },
  {
    name: "default-is-first-named",
    breaks: ["BIND-DEFAULT-ENTRYPOINT"],
    description: "a binding without entrypoint reaches the first named WorkerEntrypoint export instead of the default.",
    mustFail: ["bindings/default-entrypoint"],
    seams: [
      override(RUNTIME_SEAMS, {
        targetExport: (original) => (caller, service, target) => {
          if (service.entrypoint !== undefined) return original(caller, service, target);
          const first = Object.keys(target.exports).find((name) => name !== "default" && isEntrypointClass(target.workersModule, target.exports[name]));
          return original(caller, { ...service, entrypoint: first }, target);
        },
      }),
    ],
  },
  {
    name: "named-object-is-default",
    breaks: ["BIND-NAMED-OBJECT"],
    description: "a binding to a named export that is an object of handlers reaches the worker's default export instead.",
    mustFail: ["bindings/named-object"],
    seams: [
      override(RUNTIME_SEAMS, {
        targetExport: (original) => (caller, service, target) => {
          const name = original(caller, service, target);
          return name !== "default" && !isEntrypointClass(target.workersModule, target.exports[name]) ? "default" : name;
        },
      }),
    ],
  },
  {
    name: "self-binding-missing",
    breaks: ["BIND-SELF"],
    description: "a service binding whose service is the worker itself is left out of env.",
    mustFail: ["bindings/self"],
    seams: [override(RUNTIME_SEAMS, { servicesOf: (original) => (definition) => original(definition).filter((service) => service.service !== definition.name) })],
  },
  {
    name: "same-target-bindings-shared",
    breaks: ["BIND-SAME-TARGET-TWICE"],
    description: "a second binding to an already bound service and entrypoint is the first binding's object.",
    mustFail: ["bindings/same-target-twice"],
    seams: [
      override(RUNTIME_SEAMS, {
        bindingFor: (original) => {
          const first = new WeakMap<WorkerRealm, Map<string, object>>();
          return (realm, fetcher, service) => {
            const made = first.get(realm) ?? new Map<string, object>();
            first.set(realm, made);
            const key = `${service.service}\0${service.entrypoint ?? ""}`;
            if (!made.has(key)) made.set(key, original(realm, fetcher, service));
            return made.get(key)!;
          };
        },
      }),
    ],
  },
  {
    name: "handler-object-any-arity",
    breaks: ["BIND-DEFAULT-OBJECT"],
    description: "RPC to a plain-object default export accepts any number of arguments instead of exactly one.",
    mustFail: ["bindings/default-object", "bindings/named-object"],
    seams: [override(DISPATCH_SEAMS, { checkHandlerArity: () => () => {} })],
  },
  {
    name: "merge-entrypoints",
    breaks: ["BIND-ENTRYPOINT-ISOLATION"],
    description: "a name missing on the bound entrypoint is looked up on the worker's other exported entrypoints too (and called on the bound entrypoint's instance).",
    mustFail: ["bindings/entrypoint-isolation"],
    seams: [
      override(DISPATCH_SEAMS, {
        prototypeMember: (original) => (Class, name, worker) => {
          const own = original(Class, name, worker);
          if (own !== null) return own;
          for (const other of Object.values(worker.exports)) {
            if (other === Class || !isEntrypointClass(worker.workersModule, other)) continue;
            const member = original(other as EntrypointClass, name, worker);
            if (member !== null) return member;
          }
          return null;
        },
      }),
    ],
  },
  {
    name: "non-entrypoint-served",
    breaks: ["BIND-NOT-ENTRYPOINT"],
    description: "a function export or a class not extending WorkerEntrypoint is served like an entrypoint class (constructed per call, its members called) instead of failing every call.",
    mustFail: ["bindings/not-entrypoint"],
    seams: [override(DISPATCH_SEAMS, { serves: () => () => true })],
  },
  {
    name: "bundler-default-name",
    breaks: ["BIND-DEFAULT-ANONYMOUS-NAME"],
    description: 'an anonymous default export keeps the name the bundler gave its variable (index_default) instead of "default".',
    mustFail: ["bindings/default-anonymous-name"],
    seams: [override(LOADER_SEAMS, { nameDefaultExport: () => () => {} })],
  },
  {
    name: "fetch-scheme-unchecked",
    breaks: ["BIND-FETCH-ARGUMENTS"],
    description: "binding.fetch() takes any URL scheme (ftp:, ws:, file:…) and an explicit undefined input as a missing one, instead of workerd's refusals.",
    mustFail: ["bindings/fetch-arguments"],
    seams: [
      override(BINDING_SEAMS, {
        fetchArgumentsRefusal: (original) => (rawArgs, input, init, standardUrl) => {
          if (input === undefined) return original([], input, init, standardUrl); // refused as a missing input
          const url = input instanceof Request ? input.url : typeof input === "symbol" ? undefined : String(input);
          if (url === undefined || !URL.canParse(url) || /^https?:$/.test(new URL(url).protocol)) return original(rawArgs, input, init, standardUrl);
          // Any other scheme: the remaining checks run as for an http URL.
          return input instanceof Request ? undefined : original(rawArgs, "http://any-scheme.invalid/", init, standardUrl);
        },
      }),
    ],
  },
  {
    name: "status-text-as-given",
    breaks: ["BIND-FETCH-STATUS-TEXT"],
    description: "the Response of binding.fetch() keeps the callee's empty statusText instead of the status's reason phrase.",
    mustFail: ["bindings/fetch-status-text"],
    seams: [override(BINDING_SEAMS, { arrivedResponse: () => (response) => response })],
  },
  {
    name: "connect-returns-promise",
    breaks: ["BIND-CONNECT-SOCKET"],
    description: "binding.connect() with a good address returns a rejected promise instead of a Socket.",
    mustFail: ["bindings/connect-socket"],
    seams: [
      override(BINDING_SEAMS, {
        connectResult: () => (realm, port) => {
          const rejected = realm.intrinsics.Promise.reject(new realm.intrinsics.errors.Error(socketFailure(port)));
          rejected.catch(() => {});
          return rejected;
        },
      }),
    ],
  },
  {
    name: "bindings-copied-empty",
    breaks: ["BIND-PASSED-OVER-RPC"],
    description: "a service binding passed or returned over RPC is copied as a plain object (arriving empty) instead of crossing by reference.",
    mustFail: ["bindings/passed-over-rpc"],
    seams: [
      override(COPY_SEAMS, {
        // A binding is an instance of its realm's Fetcher class (a loopback one, of LoopbackServiceStub).
        proxy: (original) => (value, byReference, to) =>
          ["Fetcher", "LoopbackServiceStub"].includes((Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? "")
            ? new to.Object()
            : original(value, byReference, to),
      }),
    ],
  },
];
