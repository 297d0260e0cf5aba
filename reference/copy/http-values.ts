/**
 * Web platform values the copier (`serialize.ts`) hands over to this file: what of a `Headers`
 * crosses, and how a `Blob` does (spec/http-values.md).
 *
 * A copy is made with the host's classes, then adopted by the realm it is for (`to`): given the
 * prototype of that realm's own class (web-classes.ts, SER-HOST-TAG). The host's classes accept
 * every realm's instances, so an `instanceof` test here recognises a value from any realm.
 */
import * as nodeStream from "node:stream";
import { adoptWebObject } from "../loading/realm.ts";
import type { Realm, WorkerRealm } from "../loading/realm.ts";
import { seams } from "../seams.ts";
import { dataCloneError, typeNameOf } from "./type-names.ts";

/** How each Web platform value crosses: the steps a broken variant may replace (seams.ts). */
export const HTTP_VALUE_SEAMS = { copyBodyValue, moveBody, encodeChunk, bodyDrained, copyHeaders, copyHostValue, adoptInto };

/**
 * SER-HOST-TAG: a Web object arriving in `to` (a copy, a fetch() Request or Response) becomes an
 * instance of `to`'s own class, as on workerd, where it is made in the receiver's isolate.
 */
function adoptInto<T>(value: T, to: Realm): T {
  return adoptWebObject(value, to);
}

/** Whether a stream was ever read from (Node 20 has it; its type declarations do not). */
const isDisturbed = (nodeStream as unknown as { isDisturbed(stream: unknown): boolean }).isDisturbed;

/**
 * SER-REQUEST, SER-RESPONSE, SER-READABLE-STREAM: the receiver's copy of a value with a body, or
 * `undefined` for anything else. The body itself is not copied but moved (HTTP-BODY-MOVED).
 */
function copyBodyValue(value: object, to: Realm): object | undefined {
  const { moveBody } = seams(to, HTTP_VALUE_SEAMS);
  if (value instanceof Request) return value.body === null ? new Request(value) : new Request(value, { body: moveBody(value.body, to), duplex: "half" } as RequestInit);
  if (value instanceof Response) {
    const body = value.body === null ? null : moveBody(value.body, to);
    return new Response(body, { status: value.status, statusText: value.statusText, headers: value.headers });
  }
  if (value instanceof ReadableStream) return moveBody(value, to);
  return undefined;
}

/**
 * HTTP-BODY-MOVED: the receiver's stream over the sender's body. The sender's stream gets a
 * reader that is never released, and its first read starts at once, so the sender's object
 * reports used and locked from the send on, as on workerd; the receiver pulls the rest.
 */
function moveBody(stream: ReadableStream<unknown>, to: Realm): ReadableStream<unknown> {
  // HTTP-BODY-UNUSABLE: a body that was read, is locked, or was sent before cannot be sent.
  if (stream.locked || isDisturbed(stream)) throw new TypeError("The ReadableStream has been locked to a reader.");
  const { encodeChunk, bodyDrained } = seams(to, HTTP_VALUE_SEAMS);
  const reader = stream.getReader();
  let next = reader.read();
  return new ReadableStream<unknown>({
    async pull(controller) {
      // CTX-HUNG-CANCELLED: no call of the receiver's worker counts as hung while it waits for the sender.
      const { done, value } = await ((to as Partial<WorkerRealm>).hangWatch?.track(next) ?? next);
      if (!done) {
        controller.enqueue(encodeChunk(value));
        next = reader.read();
        return;
      }
      controller.close();
      bodyDrained(reader);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** HTTP-BODY-MOVED: once the receiver has read a moved body to its end, the sender's stream stays locked (its reader is kept). */
function bodyDrained(_senderReader: ReadableStreamDefaultReader<unknown>): void {}

const utf8 = new TextEncoder();

/**
 * HTTP-STREAM-STRINGS: a chunk a program enqueued as a string travels as its UTF-8 bytes, as
 * workerd's streams accept it; any other chunk travels as it is.
 */
function encodeChunk(chunk: unknown): unknown {
  return typeof chunk === "string" ? utf8.encode(chunk) : chunk;
}

/** HTTP-STREAM-STRINGS: a fetch body given as a program's stream, with string chunks as UTF-8 bytes. */
export function bodyWithStringChunks(stream: ReadableStream<unknown>, to: Realm): ReadableStream<unknown> {
  const { encodeChunk } = seams(to, HTTP_VALUE_SEAMS);
  return stream.pipeThrough(new TransformStream<unknown, unknown>({ transform: (chunk, controller) => controller.enqueue(encodeChunk(chunk)) }));
}

/**
 * SER-HEADERS, HTTP-HEADERS-SET-COOKIE: a copy with the same entries. Iterating Headers yields
 * each Set-Cookie value as its own entry, so appending the entries one by one keeps them apart.
 */
function copyHeaders(headers: Headers): Headers {
  const copy = new Headers();
  for (const [name, value] of headers) copy.append(name, value);
  return copy;
}

/** HTTP-PLATFORM-REFUSED: host classes whose instances cannot cross (AbortSignal is an EventTarget). */
const REFUSED_PLATFORM_CLASSES: readonly (abstract new (...args: never[]) => object)[] = [
  URL, URLSearchParams, FormData, AbortController, TextEncoder, TextDecoder, TransformStream, CompressionStream, Event, EventTarget,
];

/**
 * HTTP-BLOB: the copy of a host object the copier does not know itself, or `undefined` when
 * this file does not know it either. A Blob crosses with its type and bytes; a File is refused, as
 * are the platform objects of HTTP-PLATFORM-REFUSED.
 */
function copyHostValue(value: object): object | undefined {
  if (REFUSED_PLATFORM_CLASSES.some((cls) => value instanceof cls)) {
    // HTTP-PLATFORM-REFUSED: no serialized form. AbortSignal has a message of its own.
    if (value instanceof AbortSignal) throw dataCloneError("AbortSignal serialization is not enabled.");
    throw dataCloneError(`Could not serialize object of type "${typeNameOf(value)}". This type does not support serialization.`);
  }
  if (value instanceof File) throw dataCloneError(`Could not serialize object of type "File". This type does not support serialization.`);
  if (value instanceof Blob) {
    // A Blob is immutable, so a slice shares its bytes safely.
    return value.slice(0, value.size, value.type);
  }
  return undefined;
}
