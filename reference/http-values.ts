/**
 * Web platform values the copier (`serialize.ts`) hands over to this file: what of a `Headers`
 * crosses, and how a `Blob` does (spec/http-values.md).
 *
 * Every realm shares the host's Web API classes (`realm.ts`), so a copy is a new host object and
 * an `instanceof` test recognises a value from any realm.
 */
import { dataCloneError } from "./serialize.ts";
import type { FaultSwitches } from "./faults.ts";

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

/**
 * HTTP-BLOB: the copy of a host object the copier does not know itself, or `undefined` when
 * this file does not know it either. A Blob crosses with its type and bytes; a File is refused.
 */
export function copyHostValue(value: object, faults: Partial<FaultSwitches>): object | undefined {
  if (value instanceof File) throw dataCloneError(`Could not serialize object of type "File". This type does not support serialization.`);
  if (value instanceof Blob) {
    // A Blob is immutable, so a slice shares its bytes safely.
    const type = faults["blob-type-dropped"] ? "" : value.type; // fault blob-type-dropped (HTTP-BLOB)
    return value.slice(0, value.size, type);
  }
  return undefined;
}
