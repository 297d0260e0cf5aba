/**
 * Worker source as tagged templates. A test writes the code its workers run with `js`:
 *
 *   js`export class ${ident(cls)} extends WorkerEntrypoint {
 *     [${method}]() { return ${value(result)}; }
 *   }`
 *
 * Every interpolation says what it inserts, and nothing is pasted in unseen:
 * - a string becomes a quoted JS string literal (`${method}` above is `"the name"`), so any
 *   generated name is safe as a property key, an argument or a message;
 * - a number or a boolean becomes its literal;
 * - `ident(name)` inserts a class, variable or method name as is, after checking it is an identifier;
 * - `value(v)` inserts an expression that evaluates to a copy of a generated value, types kept
 *   (`Map`, `Date`, `undefined`, `-0`…; it needs the harness's `input` in scope);
 * - `json(v)` inserts plain data (names, numbers, nested arrays and objects) as a JSON literal;
 * - `code(text)` inserts a fragment of source as is, for text the test itself wrote;
 * - a `js` template or `lines(…)` nests as the code it is.
 * Anything else (an object, an array, `undefined`) is a mistake the tag reports, rather than text
 * that happens to print.
 */
import { encodeInput } from "../harness/harness.js";

/** Source text built by `js` or one of the wrappers: it is inserted into another template as is. */
export class Source {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Interpolation = string | number | boolean | Source;

export function js(strings: TemplateStringsArray, ...values: Interpolation[]): Source {
  let text = strings[0]!;
  values.forEach((v, i) => {
    text += insert(v, i) + strings[i + 1]!;
  });
  return new Source(text);
}

function insert(v: Interpolation, i: number): string {
  if (v instanceof Source) return v.text;
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "boolean":
      return String(v);
  }
  throw new TypeError(
    `js template: interpolation ${i + 1} is ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}; wrap it in value(), json(), ident() or code() to say how it becomes source`,
  );
}

/**
 * A name written as is: a class or variable name, or a method name in a class body. Throws unless
 * it is an IdentifierName (a reserved word passes: it is a valid method name).
 */
export function ident(name: string): Source {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new TypeError(`js template: ${JSON.stringify(name)} is not an identifier`);
  return new Source(name);
}

/** An expression that evaluates to a copy of `v`, types preserved (needs the harness's `input` in scope). */
export function value(v: unknown): Source {
  return new Source(`input(${encodeInput(v)})`);
}

/** Plain data (JSON-representable) as a JSON literal, e.g. a list of generated names. */
export function json(v: unknown): Source {
  const text = JSON.stringify(v);
  if (text === undefined) throw new TypeError(`js template: json() got ${typeof v}, which has no JSON form`);
  return new Source(text);
}

/** A fragment of source the test wrote itself, inserted as is. */
export function code(text: string): Source {
  return new Source(text);
}

/** Several fragments joined by `separator` (a newline unless told), e.g. one member per generated name. */
export function lines(parts: readonly Source[], separator = "\n"): Source {
  return new Source(parts.map((p) => p.text).join(separator));
}
