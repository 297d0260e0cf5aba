/**
 * BIND-FETCH-STATUS-TEXT: a binding's `fetch()` Response gets the status's reason phrase when the
 * callee gave it no statusText. Telling "none" from "" needs each worker's `Response` to record an
 * explicit one; this leaf module holds that record and the reason phrases (realm.ts installs the
 * recording class, binding.ts applies the default).
 */
import http from "node:http";

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

// `response.clone()` keeps the mark (every realm's Response prototype copies this method: web-classes.ts).
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
