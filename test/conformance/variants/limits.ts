/** Broken variants of the message limits (reference/copy/serialize.ts) and the tests of conformance/tests/limits.ts they must fail. */
import { types } from "node:util";
import { COPY_SEAMS } from "../../../reference/copy/serialize.ts";
import { override } from "../../../reference/seams.ts";
import type { BrokenVariant } from "./variant.ts";

export const VARIANTS: BrokenVariant[] = [
  {
    name: "no-message-size-limit",
    breaks: ["LIMIT-MESSAGE-SIZE"],
    description: "arguments and results over 32 MiB are delivered instead of rejected.",
    mustFail: ["limits/message-size", "limits/wire-size"],
    seams: [override(COPY_SEAMS, { messageRefusal: () => () => undefined })],
  },
  {
    name: "size-counts-data-only",
    breaks: ["LIMIT-WIRE-SIZE"],
    description: "the 32 MiB limit counts the data bytes only, not V8's serialized form (header, tags, lengths).",
    mustFail: ["limits/wire-size"],
    seams: [override(COPY_SEAMS, { messageSize: () => (_message, dataBytes) => dataBytes })],
  },
  {
    name: "strings-count-one-byte",
    breaks: ["LIMIT-STRING-SIZE"],
    description: "a string counts one byte per code unit toward the 32 MiB limit, even with code units above U+00FF.",
    mustFail: ["limits/string-size"],
    seams: [override(COPY_SEAMS, { stringBytes: () => (value) => value.length, messageSize: () => (_message, dataBytes) => dataBytes })],
  },
  {
    name: "shallow-nesting-limit",
    breaks: ["LIMIT-DEEP-NESTING"],
    description: "a message whose arrays and objects nest more than 100 levels deep is refused with a RangeError.",
    mustFail: ["limits/deep-nesting"],
    seams: [
      override(COPY_SEAMS, {
        messageRefusal: (original) => (message, bytes) => (nestsDeeperThan(message, 100) ? new RangeError("Maximum call stack size exceeded") : original(message, bytes)),
      }),
    ],
  },
];

/** Whether arrays and plain objects (never a Proxy, whose traps are the program's) nest in `value` more than `levels` deep. */
function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== "object" || value === null || types.isProxy(value)) return false;
  if (!Array.isArray(value) && Object.getPrototypeOf(Object.getPrototypeOf(value) ?? Object.prototype) !== null) return false;
  if (levels === 0) return true;
  return Object.values(value).some((inner) => nestsDeeperThan(inner, levels - 1));
}
