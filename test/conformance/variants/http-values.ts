/** Broken variants of the Web platform values' copy (reference/copy/http-values.ts) and the tests of conformance/tests/http-values.ts they must fail. */
import { HTTP_VALUE_SEAMS } from "../../../reference/copy/http-values.ts";
import { WEB_CLASS_SEAMS } from "../../../reference/loading/web-classes.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "set-cookie-combined",
    breaks: ["HTTP-HEADERS-SET-COOKIE"],
    description: 'repeated Set-Cookie values cross combined into one entry joined with ", ".',
    mustFail: ["http-values/set-cookie"],
    seams: [
      override(HTTP_VALUE_SEAMS, {
        copyHeaders: (original) => (headers) => {
          const copy = original(headers);
          const cookies = copy.getSetCookie();
          if (cookies.length > 1) copy.set("set-cookie", cookies.join(", "));
          return copy;
        },
      }),
    ],
  },
  {
    name: "blob-type-dropped",
    breaks: ["HTTP-BLOB"],
    description: "a Blob crosses with its bytes but an empty type.",
    mustFail: ["http-values/blob"],
    seams: [
      override(HTTP_VALUE_SEAMS, {
        copyHostValue: (original) => (value) => {
          const copy = original(value);
          return copy instanceof Blob ? copy.slice(0, copy.size, "") : copy;
        },
      }),
    ],
  },
  {
    name: "sent-body-released",
    breaks: ["HTTP-BODY-MOVED"],
    description: "once the receiver has read a sent body to its end, the sender's stream is unlocked again.",
    mustFail: ["http-values/bodies-moved"],
    seams: [
      override(HTTP_VALUE_SEAMS, {
        // The real step never lets go of the sender's reader; this one releases it at the end.
        bodyDrained: () => (reader) => reader.releaseLock(),
      }),
    ],
  },
  {
    name: "used-body-sent-empty",
    breaks: ["HTTP-BODY-UNUSABLE"],
    description: "a body already read, locked or sent crosses as an empty body instead of being refused.",
    mustFail: ["http-values/bodies-moved"],
    seams: [
      override(HTTP_VALUE_SEAMS, {
        moveBody: (original) => (stream, to) => {
          try {
            return original(stream, to);
          } catch {
            return new ReadableStream({ start: (controller) => controller.close() });
          }
        },
      }),
    ],
  },
  {
    name: "platform-objects-as-plain",
    breaks: ["HTTP-PLATFORM-REFUSED"],
    description: "URL, FormData, AbortSignal, TextEncoder, Event… cross as empty plain objects instead of being refused.",
    mustFail: ["http-values/platform-objects-refused"],
    seams: [
      override(HTTP_VALUE_SEAMS, {
        copyHostValue: (original) => (value) => {
          try {
            return original(value);
          } catch (error) {
            if (value instanceof Blob) throw error; // a File stays refused
            return {};
          }
        },
      }),
    ],
  },
  {
    name: "string-chunks-refused",
    breaks: ["HTTP-STREAM-STRINGS"],
    description: "string chunks of a program's ReadableStream, sent as an argument or a fetch body, are passed on as strings, so the receiver's read fails.",
    mustFail: ["http-values/stream-strings"],
    seams: [override(HTTP_VALUE_SEAMS, { encodeChunk: () => (chunk) => chunk })],
  },
  {
    name: "web-objects-host-realm",
    breaks: ["SER-HOST-TAG"],
    description: "a Request, Response, Headers, Blob or ReadableStream that arrives (copy or fetch() Response) is not adopted by the receiver's realm: it keeps the host's (or the sender's) prototype, so it is no instance of the receiver's Object.",
    mustFail: ["http-values/web-objects-own-realm"],
    seams: [override(HTTP_VALUE_SEAMS, { adoptInto: () => (value) => value })],
  },
  {
    name: "web-members-host-results",
    breaks: ["SER-HOST-TAG"],
    description: "the members of a worker's Request, Response, Headers, Blob and ReadableStream are the host's own: headers, body, clone(), tee(), body reads and their errors give the host's objects, arrays, promises and errors, not the worker's.",
    mustFail: ["http-values/web-objects-own-realm"],
    seams: [override(WEB_CLASS_SEAMS, { realmMember: () => (host) => host })],
  },
];
