/** Broken variants of how an exception crosses (reference/rpc/errors.ts) and the tests of conformance/tests/errors.ts they must fail. */
import { types } from "node:util";
import { ERROR_SEAMS } from "../../../reference/rpc/errors.ts";
import { isDOMException } from "../../../reference/loading/realm.ts";
import { COPY_SEAMS, Copier } from "../../../reference/copy/serialize.ts";
import { RUNTIME_SEAMS } from "../../../reference/runtime.ts";
import { override, seams } from "../../../reference/seams.ts";
import { dataCloneError, dataProperty, typeNameOf } from "../../../reference/copy/type-names.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "api-tags-never",
    breaks: ["SER-HOST-TAG"],
    // Under `current` (the proof's profile) DOMExceptions carry their tag; a runtime ignoring the flag the other way shows under 2024-04-03 (npm run conformance -- --profile=2024-04-03).
    description: "a worker's DOMException, Request, Response, Headers, Blob and ReadableStream never carry Symbol.toStringTag, as before set_tostring_tag, whatever its compatibility date.",
    mustFail: ["errors/dom-exception-tag", "http-values/web-objects-own-realm"],
    seams: [override(RUNTIME_SEAMS, { apiTagsOn: () => () => false })],
  },
  {
    name: "thrown-null-prototype-as-text",
    breaks: ["ERR-NON-ERROR-THROW"],
    description: "under enhanced errors a thrown null-prototype object arrives as an Error with text instead of a plain copy.",
    mustFail: ["errors/thrown-text"],
    seams: [override(COPY_SEAMS, { copiesAsPlainObject: (original) => (value, proto, thrown) => !(proto === null && thrown) && original(value, proto, thrown) })],
  },
  {
    name: "error-name-strings-only",
    breaks: ["SER-ERROR-VALUES"],
    description: "under enhanced errors only a string name travels; a non-string name (7) is dropped.",
    mustFail: ["errors/odd-errors"],
    seams: [override(COPY_SEAMS, { errorNameTravels: () => (name) => typeof name === "string" })],
  },
  {
    name: "dom-exception-keeps-properties",
    breaks: ["SER-DOMEXCEPTION"],
    description: "a DOMException passed or returned keeps the own properties the program added to it.",
    mustFail: ["errors/dom-exceptions"],
    seams: [
      override(COPY_SEAMS, {
        domException: (original) => (value, to, copy) => {
          const out = original(value, to, copy);
          for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: copy((value as unknown as Record<string, unknown>)[key]), writable: true, enumerable: true, configurable: true });
          return out;
        },
      }),
    ],
  },
  {
    name: "error-stack-copied",
    breaks: ["SER-ERROR-STACK"],
    description: "an error value's stack is the sender's stack text whenever that is a string, else the receiver's own new stack, whatever the profile.",
    mustFail: ["errors/value-stack"],
    seams: [
      override(COPY_SEAMS, {
        errorStack: () => (out, stack) => {
          if (typeof stack === "string") Object.defineProperty(out, "stack", { value: stack, writable: true, configurable: true });
        },
      }),
    ],
  },
  {
    name: "thrown-errors-lose-class",
    breaks: ["ERR-BUILTIN-CLASS"],
    description: "a thrown built-in error (TypeError, RangeError…) reaches the caller as a plain Error (legacy format).",
    mustFail: ["errors/thrown-errors", "errors/constructor-and-getter"],
    seams: [
      override(ERROR_SEAMS, {
        crossThrown: (original) => (thrown, caller, options) => {
          const error = original(thrown, caller, options);
          if (error instanceof caller.intrinsics.errors.Error) Object.setPrototypeOf(error, caller.intrinsics.errors.Error.prototype);
          return error;
        },
      }),
    ],
  },
  {
    name: "thrown-not-remote",
    breaks: ["ERR-REMOTE"],
    description: "errors thrown by the callee reach the caller without remote = true.",
    mustFail: ["errors/thrown-errors", "errors/constructor-and-getter"],
    seams: [
      override(ERROR_SEAMS, {
        crossThrown: (original) => (thrown, caller, options) => {
          const error = original(thrown, caller, options);
          delete (error as { remote?: boolean }).remote;
          return error;
        },
      }),
    ],
  },
  {
    name: "thrown-errors-legacy",
    breaks: ["ERR-OWN-PROPERTIES"],
    description: "thrown values always use the legacy format (own properties, cause, custom names dropped) whatever the profile.",
    mustFail: ["errors/thrown-errors", "errors/non-error-throws"],
    seams: [override(ERROR_SEAMS, { copyThrown: () => () => undefined })],
  },
  {
    name: "remote-stack-kept",
    breaks: ["ERR-NO-REMOTE-STACK"],
    description: "a thrown error reaches the caller with the callee's stack text.",
    mustFail: ["errors/thrown-errors"],
    seams: [
      override(ERROR_SEAMS, {
        crossThrown: (original) => (thrown, caller, options) => {
          const error = original(thrown, caller, options);
          if (types.isNativeError(thrown) && types.isNativeError(error)) error.stack = String(dataProperty(thrown, "stack"));
          return error;
        },
      }),
    ],
  },
  {
    name: "thrown-text-by-class",
    breaks: ["ERR-THROWN-TEXT"],
    description: "a thrown non-error object or function reaches the caller as #<ClassName> whatever its toString, kind or source.",
    mustFail: ["errors/thrown-text"],
    seams: [
      override(ERROR_SEAMS, {
        describeThrown: (original) => (value) =>
          (typeof value === "object" && value !== null) || typeof value === "function" ? `#<${typeNameOf(value)}>` : original(value),
      }),
    ],
  },
  {
    name: "uninspectable-own-message",
    breaks: ["ERR-UNINSPECTABLE"],
    description: 'a thrown value that cannot be read rejects with the runtime\'s own wording instead of "Promise will never complete.".',
    mustFail: ["errors/uninspectable"],
    seams: [
      override(ERROR_SEAMS, {
        rebuild: (original) => (thrown, caller) => {
          try {
            return original(thrown, caller);
          } catch {
            return new caller.intrinsics.errors.Error("the callee threw a value that could not be inspected");
          }
        },
      }),
    ],
  },
  {
    name: "runtime-errors-host-realm",
    breaks: ["ERR-RUNTIME-REALM"],
    description: "the DataCloneError a refused argument or result rejects with is the host's DOMException, not instanceof the caller's Error.",
    mustFail: ["errors/runtime-error-realm"],
    seams: [
      override(ERROR_SEAMS, {
        refusalForCaller: (original) => (cause, call, remote, caller) => {
          const own = original(cause, call, remote, caller);
          const host = dataCloneError(own.message);
          if (remote) (host as { remote?: boolean }).remote = true;
          Object.defineProperty(host, "stack", { value: own.stack, writable: true, configurable: true });
          return host;
        },
      }),
    ],
  },
  {
    name: "size-error-host-realm",
    breaks: ["ERR-RUNTIME-REALM", "LIMIT-MESSAGE-SIZE"],
    description: "the 32 MiB error of oversized arguments is the host's Error, not an instance of the caller's Object and Error (the reference before this was fixed).",
    mustFail: ["limits/wire-size"],
    seams: [override(ERROR_SEAMS, { sizeErrorForCaller: () => (cause) => cause })],
  },
  {
    name: "thrown-message-stringified",
    breaks: ["ERR-MESSAGE"],
    description: 'a thrown error whose message is not a string arrives with that value as text instead of "".',
    mustFail: ["errors/odd-errors"],
    seams: [
      override(ERROR_SEAMS, {
        // The legacy format rebuilds the error; the enhanced one copies it: both get the text.
        rebuild: (original) => (thrown, caller) => {
          const error = original(thrown, caller);
          const message = types.isNativeError(thrown) ? dataProperty(thrown, "message") : undefined;
          if (message !== undefined && typeof message !== "string") error.message = seams(caller, ERROR_SEAMS).describeThrown(message);
          return error;
        },
        copyThrown: (original) => (thrown, caller) => {
          const copy = original(thrown, caller);
          const message = types.isNativeError(thrown) ? dataProperty(thrown, "message") : undefined;
          if (types.isNativeError(copy) && message !== undefined && typeof message !== "string") copy.message = String(message);
          return copy;
        },
      }),
    ],
  },
  {
    name: "thrown-response-copied",
    breaks: ["ERR-NON-ERROR-THROW"],
    description: "a thrown Response, Request or stream crosses as a copy under enhanced errors instead of as the text #<Response>.",
    mustFail: ["errors/odd-errors"],
    seams: [
      override(ERROR_SEAMS, {
        copyThrown: (original) => (thrown, caller) => {
          if (!(thrown instanceof Request || thrown instanceof Response || thrown instanceof ReadableStream)) return original(thrown, caller);
          try {
            return new Copier().copy(thrown, caller, { classInstancesAsPlainObjects: true }) as object;
          } catch {
            return undefined;
          }
        },
      }),
    ],
  },
  {
    name: "thrown-dom-exception-as-error",
    breaks: ["ERR-DOMEXCEPTION"],
    description: "a thrown DOMException reaches the caller as a plain Error with its message.",
    mustFail: ["errors/dom-exceptions"],
    seams: [
      override(ERROR_SEAMS, {
        rebuild: (original) => (thrown, caller) => (isDOMException(thrown) ? new caller.intrinsics.errors.Error(thrown.message) : original(thrown, caller)),
      }),
    ],
  },
  {
    name: "stack-line-name-colon",
    breaks: ["ERR-NO-REMOTE-STACK"],
    description: "the first line of a crossed error's stack is always `name: message`, with a trailing \": \" when the message is empty.",
    mustFail: ["errors/thrown-errors"],
    seams: [override(ERROR_SEAMS, { stackText: () => (name, message) => `${String(name)}: ${String(message)}` })],
  },
];
