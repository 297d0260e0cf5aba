/**
 * Web platform values the copier (`serialize.ts`) hands over to this file: what of a `Headers`
 * crosses, and how a `Blob` does (spec/http-values.md).
 *
 * Every realm shares the host's Web API classes (`realm.ts`), so a copy is a new host object and
 * an `instanceof` test recognises a value from any realm.
 */
import * as nodeStream from "node:stream";
import http from "node:http";
import { dataCloneError, typeNameOf } from "./type-names.ts";
import type { FaultSwitches } from "../faults.ts";

/** Whether a stream was ever read from (Node 20 has it; its type declarations do not). */
const isDisturbed = (nodeStream as unknown as { isDisturbed(stream: unknown): boolean }).isDisturbed;

/**
 * SER-REQUEST, SER-RESPONSE, SER-READABLE-STREAM: the receiver's copy of a value with a body, or
 * `undefined` for anything else. The body itself is not copied but moved (HTTP-BODY-MOVED).
 */
export function copyBodyValue(value: object, faults: Partial<FaultSwitches>): object | undefined {
  if (value instanceof Request) return value.body === null ? new Request(value) : new Request(value, { body: moveBody(value.body, faults), duplex: "half" } as RequestInit);
  if (value instanceof Response) {
    const body = value.body === null || faults["response-body-dropped"] ? null : moveBody(value.body, faults); // fault response-body-dropped (SER-RESPONSE)
    return new Response(body, { status: value.status, statusText: value.statusText, headers: value.headers });
  }
  if (value instanceof ReadableStream) return moveBody(value, faults);
  return undefined;
}

/**
 * HTTP-BODY-MOVED: the receiver's stream over the sender's body. The sender's stream gets a
 * reader that is never released, and its first read starts at once, so the sender's object
 * reports used and locked from the send on, as on workerd; the receiver pulls the rest.
 */
function moveBody(stream: ReadableStream<unknown>, faults: Partial<FaultSwitches>): ReadableStream<unknown> {
  if (stream.locked || isDisturbed(stream)) {
    // HTTP-BODY-UNUSABLE: a body that was read, is locked, or was sent before cannot be sent.
    if (faults["used-body-sent-empty"]) return new ReadableStream({ start: (c) => c.close() }); // fault used-body-sent-empty (HTTP-BODY-UNUSABLE)
    throw new TypeError("The ReadableStream has been locked to a reader.");
  }
  const reader = stream.getReader();
  let next = reader.read();
  return new ReadableStream<unknown>({
    async pull(controller) {
      const { done, value } = await next;
      if (!done) {
        controller.enqueue(chunkBytes(value, faults));
        next = reader.read();
        return;
      }
      controller.close();
      if (faults["sent-body-released"]) reader.releaseLock(); // fault sent-body-released (HTTP-BODY-MOVED)
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

const utf8 = new TextEncoder();

/**
 * HTTP-STREAM-STRINGS: a chunk a program enqueued as a string travels as its UTF-8 bytes, as
 * workerd's streams accept it; any other chunk travels as it is.
 */
function chunkBytes(chunk: unknown, faults: Partial<FaultSwitches>): unknown {
  if (typeof chunk !== "string" || faults["string-chunks-refused"]) return chunk; // fault string-chunks-refused (HTTP-STREAM-STRINGS)
  return utf8.encode(chunk);
}

/** HTTP-STREAM-STRINGS: a fetch body given as a program's stream, with string chunks as UTF-8 bytes. */
export function bodyWithStringChunks(stream: ReadableStream<unknown>, faults: Partial<FaultSwitches>): ReadableStream<unknown> {
  return stream.pipeThrough(new TransformStream<unknown, unknown>({ transform: (chunk, controller) => controller.enqueue(chunkBytes(chunk, faults)) }));
}

/**
 * SER-HEADERS, HTTP-HEADERS-SET-COOKIE: a copy with the same entries. Iterating Headers yields
 * each Set-Cookie value as its own entry, so appending the entries one by one keeps them apart.
 */
export function copyHeaders(headers: Headers, faults: Partial<FaultSwitches>): Headers {
  const copy = new Headers();
  for (const [name, value] of headers) {
    if (name === "set-cookie" && faults["set-cookie-combined"] && copy.has(name)) copy.set(name, `${copy.get(name)}, ${value}`); // fault set-cookie-combined (HTTP-HEADERS-SET-COOKIE)
    else copy.append(name, value);
  }
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
export function copyHostValue(value: object, faults: Partial<FaultSwitches>): object | undefined {
  if (REFUSED_PLATFORM_CLASSES.some((cls) => value instanceof cls)) {
    if (faults["platform-objects-as-plain"]) return {}; // fault platform-objects-as-plain (HTTP-PLATFORM-REFUSED)
    // HTTP-PLATFORM-REFUSED: no serialized form. AbortSignal has a message of its own.
    if (value instanceof AbortSignal) throw dataCloneError("AbortSignal serialization is not enabled.");
    throw dataCloneError(`Could not serialize object of type "${typeNameOf(value)}". This type does not support serialization.`);
  }
  if (value instanceof File) throw dataCloneError(`Could not serialize object of type "File". This type does not support serialization.`);
  if (value instanceof Blob) {
    // A Blob is immutable, so a slice shares its bytes safely.
    const type = faults["blob-type-dropped"] ? "" : value.type; // fault blob-type-dropped (HTTP-BLOB)
    return value.slice(0, value.size, type);
  }
  return undefined;
}

/**
 * BIND-FETCH-STATUS-TEXT: the Responses a worker constructed with a `statusText` of its own
 * (an explicit "" included). A worker's `Response` is {@link RESPONSE_RECORDING_STATUS_TEXT}, so
 * that the HTTP path can tell "no statusText" from "".
 */
const statusTextGiven = new WeakSet<Response>();

/** Whether `init` gives a statusText: its own, or (a Response as init) the one that Response was given. */
function givesStatusText(init: unknown): boolean {
  if (init instanceof Response) return statusTextGiven.has(init);
  return typeof init === "object" && init !== null && (init as { statusText?: unknown }).statusText !== undefined;
}

const hostJson = Response.json.bind(Response);
/** `Response.json(data, init)` of a worker: records a given statusText like the constructor. */
const recordingJson = {
  json(data: unknown, init?: ResponseInit): Response {
    const response = hostJson(data, init);
    if (givesStatusText(init)) statusTextGiven.add(response);
    return response;
  },
}.json;

// `response.clone()` keeps the mark (the prototype is the host's, shared by every realm).
const hostClone = Response.prototype.clone;
Object.defineProperty(Response.prototype, "clone", {
  ...Object.getOwnPropertyDescriptor(Response.prototype, "clone"),
  value: {
    clone(this: Response): Response {
      const copy = hostClone.call(this);
      if (statusTextGiven.has(this)) statusTextGiven.add(copy);
      return copy;
    },
  }.clone,
});

/** The host's Response class, recording in {@link statusTextGiven} when a statusText is given. */
export const RESPONSE_RECORDING_STATUS_TEXT: typeof Response = new Proxy(Response, {
  construct(target, args, newTarget) {
    const response = Reflect.construct(target, args, newTarget) as Response;
    if (givesStatusText(args[1])) statusTextGiven.add(response);
    return response;
  },
  get(target, key, receiver) {
    if (key === "json") return recordingJson;
    return Reflect.get(target, key, receiver) as unknown;
  },
});

/** Reason phrases where workerd's differ from Node's table; unknown codes get their class's name. */
const REASON_OVERRIDES: Record<number, string | undefined> = { 418: "I'm a teapot", 425: undefined, 509: undefined };
const CLASS_REASONS: Record<number, string> = { 2: "Successful", 3: "Redirection", 4: "Client Error", 5: "Server Error" };

/** The reason phrase workerd's HTTP layer gives a status (observed for 200–599, 2026-11-17). */
export function defaultStatusText(status: number): string {
  const known = Object.hasOwn(REASON_OVERRIDES, status) ? REASON_OVERRIDES[status] : http.STATUS_CODES[status];
  return known ?? CLASS_REASONS[Math.floor(status / 100)] ?? "";
}

/**
 * BIND-FETCH-STATUS-TEXT: the Response a caller gets from `binding.fetch()`. When the callee's
 * Response has no statusText of its own, the caller's has the status's reason phrase.
 */
export function withDefaultStatusText(response: Response): Response {
  if (response.statusText !== "" || statusTextGiven.has(response) || response.status < 200) return response;
  return new Response(response.body, { status: response.status, statusText: defaultStatusText(response.status), headers: response.headers });
}
