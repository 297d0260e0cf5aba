/** Broken variants of the copy at the boundary (reference/copy/serialize.ts, copy/http-values.ts, rpc/binding.ts) and the tests of conformance/tests/serialization.ts they must fail. */
import { BINDING_SEAMS } from "../../../reference/rpc/binding.ts";
import { COPY_SEAMS } from "../../../reference/copy/serialize.ts";
import { HTTP_VALUE_SEAMS } from "../../../reference/copy/http-values.ts";
import { isPlainObjectPrototype } from "../../../reference/loading/realm.ts";
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
  {
    name: "lossy-strings",
    breaks: ["SER-BASIC-VALUES"],
    description: "strings cross through a UTF-8 encode/decode round trip, so lone surrogates become U+FFFD.",
    mustFail: ["serialization/basic-values"],
    seams: [
      override(COPY_SEAMS, {
        primitive: (original) => {
          const [encoder, decoder] = [new TextEncoder(), new TextDecoder()];
          return (value) => (typeof value === "string" ? decoder.decode(encoder.encode(value)) : original(value));
        },
      }),
    ],
  },
  {
    name: "holes-become-undefined",
    breaks: ["SER-HOLES"],
    description: "array holes arrive as elements holding undefined.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { newArray: (original) => (length, to) => original(length, to).fill(undefined) })],
  },
  {
    name: "dates-as-numbers",
    breaks: ["SER-DATE"],
    description: "a Date arrives as its time value (a number).",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { date: () => (value) => Date.prototype.getTime.call(value) })],
  },
  {
    name: "regexp-keeps-lastindex",
    breaks: ["SER-REGEXP"],
    description: "a RegExp's lastIndex is copied instead of starting at 0.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { regExp: (original) => (value, to) => Object.assign(original(value, to), { lastIndex: (value as RegExp).lastIndex }) })],
  },
  {
    name: "map-entries-reversed",
    breaks: ["SER-MAP-SET"],
    description: "a Map's entries arrive in reverse insertion order.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { mapEntries: (original) => (value) => original(value).reverse() })],
  },
  {
    name: "arraybuffers-zeroed",
    breaks: ["SER-ARRAYBUFFER"],
    description: "an ArrayBuffer arrives with the right length but all bytes zero.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { arrayBuffer: () => (_value, length, to) => new to.ArrayBuffer(length) })],
  },
  {
    name: "views-own-buffer",
    breaks: ["SER-TYPED-ARRAYS"],
    description: "each typed array arrives over a buffer of its own holding only its window (byteOffset 0, no sharing).",
    mustFail: ["serialization/structured-clone-table"],
    seams: [
      override(COPY_SEAMS, {
        typedArray: (original) => (value, name, buffer, to) => {
          const view = original(value, name, buffer, to);
          const own = new to.ArrayBuffer(view.byteLength);
          new Uint8Array(own).set(new Uint8Array(buffer, view.byteOffset, view.byteLength));
          return new to.typedArrays[name](own, 0, (view as Uint8Array).length);
        },
      }),
    ],
  },
  {
    name: "dataview-offset-zero",
    breaks: ["SER-DATAVIEW"],
    description: "a DataView arrives with byteOffset 0 instead of its own.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { dataView: (original) => (value, buffer, to) => new to.DataView(buffer, 0, original(value, buffer, to).byteLength) })],
  },
  {
    name: "boxed-unboxed",
    breaks: ["SER-BOXED"],
    description: "boxed primitives (new Number(1), Object(1n)…) arrive as plain primitives.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { boxed: (original) => (value, to) => (original(value, to) as { valueOf(): unknown }).valueOf() })],
  },
  {
    name: "shared-refs-copied-twice",
    breaks: ["SER-SHARED-REFS"],
    description: "an object reached again within one message is copied again (a cycle closes one lap later), so shared references arrive as separate objects.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [
      override(COPY_SEAMS, {
        sharedReference: () => {
          const copyingAgain = new Set<object>(); // a copy runs synchronously, so this is empty between copies
          return (seen, value, copyAgain) => {
            if (copyingAgain.has(value)) return seen;
            copyingAgain.add(value);
            try {
              return copyAgain();
            } finally {
              copyingAgain.delete(value);
            }
          };
        },
      }),
    ],
  },
  {
    name: "error-values-legacy",
    breaks: ["SER-ERROR-VALUES"],
    description: "error values always use the legacy format (own properties and custom names dropped) whatever the profile.",
    mustFail: ["serialization/structured-clone-table"],
    seams: [override(COPY_SEAMS, { enhancedErrorValues: () => () => false })],
  },
  {
    name: "class-instances-as-plain",
    breaks: ["SER-REJECT-CLASS-INSTANCE"],
    description: "instances of classes not extending RpcTarget cross as plain objects instead of being rejected.",
    mustFail: ["serialization/rejected-values"],
    seams: [override(COPY_SEAMS, { copiesAsPlainObject: (original) => (value, proto, thrown) => original(value, proto, thrown || proto !== null) })],
  },
  {
    name: "null-prototype-as-plain",
    breaks: ["SER-REJECT-NULL-PROTOTYPE"],
    description: "null-prototype objects cross as plain objects instead of being rejected.",
    mustFail: ["serialization/rejected-values"],
    seams: [override(COPY_SEAMS, { copiesAsPlainObject: (original) => (value, proto, thrown) => proto === null || original(value, proto, thrown) })],
  },
  {
    name: "generic-reject-message",
    breaks: ["SER-REJECT-OTHER"],
    description: "WeakMap, WeakSet, Promise… are rejected with the class-instance message instead of '#<X> could not be cloned.'.",
    mustFail: ["serialization/rejected-values"],
    seams: [override(COPY_SEAMS, { builtinRefusal: () => () => undefined })],
  },
  {
    name: "iterators-class-message",
    breaks: ["SER-REJECT-ITERATOR"],
    description: "generators and built-in iterators are refused with the class-instance message instead of '[object Generator] could not be cloned.'.",
    mustFail: ["serialization/rejected-values"],
    seams: [override(COPY_SEAMS, { iteratorRefusal: () => () => undefined })],
  },
  {
    name: "rpc-thenables-as-stubs",
    breaks: ["SER-REJECT-RPC-PROMISE"],
    description: "an RPC call's thenable or an unawaited RPC property inside a value crosses as a function stub instead of being refused.",
    mustFail: ["serialization/rpc-thenables-refused"],
    seams: [override(COPY_SEAMS, { functionRefusal: () => () => undefined })],
  },
  {
    name: "non-enumerable-copied",
    breaks: ["SER-OWN-ENUMERABLE"],
    description: "every own string-keyed property of an object or array is copied, non-enumerable ones included.",
    mustFail: ["serialization/own-enumerable"],
    seams: [override(COPY_SEAMS, { ownKeys: () => (value) => Object.getOwnPropertyNames(value) })],
  },
  {
    name: "proxies-copied",
    breaks: ["SER-PROXY"],
    description: "a program's Proxy that emulates a plain object or an array is copied through its traps instead of crossing as a stub or being refused (a service binding still crosses by reference).",
    mustFail: ["serialization/proxy"],
    seams: [
      override(COPY_SEAMS, {
        proxy: (original) => (value, byReference, to) =>
          Array.isArray(value) || isPlainObjectPrototype(Object.getPrototypeOf(value) as object | null) ? undefined : original(value, byReference, to),
      }),
    ],
  },
];
