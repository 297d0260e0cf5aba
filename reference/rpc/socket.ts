/**
 * BIND-CONNECT-SOCKET: what `binding.connect(address)` gives a worker. The reference runs no
 * worker's `connect` handler, so every socket it hands out is one whose connection failed, as
 * workerd's is when the target exports no `connect()`: `opened` and `closed` reject with workerd's
 * error, its streams are closing, `close()` resolves. The class is made in the caller's realm, so
 * the socket is the caller's own kind of object (`instanceof Object`, constructor `Socket`).
 */
import type { WorkerRealm } from "../loading/realm.ts";

/**
 * workerd's rejection of `opened` and `closed` when nothing accepts the connection (2026-11-17),
 * with a hint for the HTTP ports 80 and 443.
 */
export function socketFailure(port: number): string {
  const failure = "proxy request failed, cannot connect to the specified address";
  return port === 80 || port === 443 ? `${failure}. It looks like you might be trying to connect to a HTTP-based service — consider using fetch instead` : failure;
}

const SOCKET_SOURCE = `(tagged) => {
  const sockets = new WeakMap();
  const state = (socket) => {
    const s = sockets.get(socket);
    if (s === undefined) throw new TypeError("Illegal invocation");
    return s;
  };
  class Socket {
    constructor() { throw new TypeError("Illegal constructor"); }
    get readable() { return state(this).readable; }
    get writable() { return state(this).writable; }
    get closed() { return state(this).closed; }
    get opened() { return state(this).opened; }
    get upgraded() { state(this); return false; }
    get secureTransport() { state(this); return "off"; }
    close() { state(this); return Promise.resolve(undefined); }
    startTls() { throw new TypeError("startTls() is not supported by the reference runtime"); }
  }
  // Members in workerd's order, the constructor last.
  delete Socket.prototype.constructor;
  Object.defineProperty(Socket.prototype, "constructor", { value: Socket, writable: true, configurable: true });
  if (tagged) Object.defineProperty(Socket.prototype, Symbol.toStringTag, { value: "Socket", configurable: true });
  return (failure) => {
    const socket = Object.create(Socket.prototype);
    const failed = () => { const p = Promise.reject(new Error(failure)); p.catch(() => {}); return p; };
    const closing = (kind) => new TypeError("This " + kind + " belongs to an object that is closing.");
    sockets.set(socket, {
      opened: failed(),
      closed: failed(),
      readable: new ReadableStream({ start(c) { c.error(closing("ReadableStream")); } }),
      writable: new WritableStream({ start(c) { c.error(closing("WritableStream")); } }),
    });
    return socket;
  };
}`;

const factories = new WeakMap<WorkerRealm, (failure: string) => object>();

/** A new failed Socket of `realm`, for an address with this port. */
export function failedSocket(realm: WorkerRealm, port: number): object {
  let make = factories.get(realm);
  if (make === undefined) {
    make = (realm.evaluate(SOCKET_SOURCE, "reference:socket") as (tagged: boolean) => (failure: string) => object)(realm.apiTags);
    factories.set(realm, make);
  }
  return make(socketFailure(port));
}
