/**
 * Which property names are RPC names, and the surface every caller-side handle shows, shared by
 * every caller-side value that reads names (`binding.ts`, `promise.ts`, `stubs.ts`): a leaf
 * module (it needs only handle-classes.ts), so those files import it and not each other.
 */
import type { Realm } from "../loading/realm.ts";
import { handleClasses, isStringifying } from "./handle-classes.ts";

/**
 * A canonical array index: "0" … "4294967294", no sign, no leading zero. On workerd such a key is
 * not an RPC name: it reads as undefined on a binding, a stub or an RPC promise (VIS-NAME-FUZZ,
 * STUB-SURFACE).
 */
export function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false; // not a digit first (most names): no regular expression run per name read
  if (!/^(?:0|[1-9][0-9]{0,9})$/.test(key)) return false;
  return Number(key) < 4294967295;
}

/** What a handle (binding, stub, call thenable, property path) shows: the steps a broken variant may replace (seams.ts). */
export const HANDLE_SEAMS = {
  /**
   * STUB-SURFACE: array-index names ("0", "42") are not remote names on a stub or a call's
   * thenable, and neither is `toJSON` while JSON.stringify runs: it never reaches a remote toJSON.
   */
  isRemoteName(key: string): boolean {
    return !isArrayIndex(key) && !(key === "toJSON" && isStringifying());
  },
  /** STUB-SURFACE: the prototype of a binding's, call thenable's or property handle's own class, if the realm has one. */
  classPrototype(realm: Realm, kind: "Fetcher" | "LoopbackServiceStub" | "RpcPromise" | "RpcProperty"): object | undefined {
    return handleClasses(realm)?.[kind].prototype;
  },
  /** STUB-SURFACE: `key in handle` says whether reading the key gives something. */
  has(_target: object, _key: string | symbol, read: () => unknown): boolean {
    return read() !== undefined;
  },
  /**
   * STUB-SURFACE: what a stub, thenable or property path proxies: callable, no own properties, and
   * `prototype` as its prototype (not Function.prototype: it is not `instanceof Function`).
   */
  /** STUB-SURFACE: a lazily made handle's target loses its function keys and takes the handle's prototype. */
  bareSurface(target: () => unknown, prototype: object): void {
    delete (target as { length?: number }).length;
    delete (target as { name?: string }).name;
    Object.setPrototypeOf(target, prototype);
  },
  handleTarget(realm: Realm, prototype: object): () => unknown {
    const target = realm.newCallable();
    Object.setPrototypeOf(target, prototype);
    return target;
  },
};
