/**
 * The few helpers both halves of the boundary copy need — serialize.ts (plain values) and
 * http-values.ts (Request, Response, Headers, bodies) — in a module that imports nothing, so the
 * two do not import each other.
 */

export function dataCloneError(message: string): DOMException {
  return new DOMException(message, "DataCloneError");
}

/** A property's value if it is a data property (own or inherited); getters are not run. */
export function dataProperty(object: object, key: PropertyKey): unknown {
  for (let o: object | null = object; o !== null; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, key);
    if (descriptor) return "value" in descriptor ? descriptor.value : undefined;
  }
  return undefined;
}

/** The name V8 prints for an object's type ("Foo" for an instance of class Foo). */
export function typeNameOf(object: object): string {
  const proto = Object.getPrototypeOf(object) as object | null;
  if (proto === null) return "Object";
  const ctor = dataProperty(proto, "constructor");
  const name = typeof ctor === "function" ? dataProperty(ctor, "name") : undefined;
  return typeof name === "string" && name !== "" ? name : "Object";
}
