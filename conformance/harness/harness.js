/**
 * Probe harness: a type-preserving codec plus the few helpers probe workers need.
 *
 * Probe workers run inside the runtime under test and report what an RPC call produced; the
 * Node-side suite decodes the report and compares. JSON alone would blur exactly what RPC
 * conformance is about (-0, undefined, holes, aliasing, error classes), so values are first
 * turned into a tree of tagged nodes (`{"$": tag, ...}`) that JSON carries without loss.
 *
 * The file is injected verbatim into workerd, evaluated in Node `vm` contexts and imported by
 * Node: hence no imports and no Node APIs. Values may come from another realm, so kinds are
 * recognised by brand checks through this realm's intrinsics, never by `instanceof` alone.
 */

const MAX_DEPTH = 512; // deeper values become `opaque`, so JSON.stringify and decode cannot overflow
const DESCRIBE_LIMIT = 2000;
const MAX_ARRAY_LENGTH = 2 ** 32 - 1;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const OPAQUE_FIELDS = ["typeof", "tag", "className", "note"];
const TYPED_ARRAYS = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"];
const BUILTIN_ERRORS = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError",
  "URIError", "AggregateError", "DOMException"];

const objectToString = Object.prototype.toString;
const { getPrototypeOf, getOwnPropertyDescriptor: ownDescriptor } = Object;
const getters = (proto, ...keys) => keys.map((key) => ownDescriptor(proto, key).get);

// Intrinsic getters double as cross-realm brand checks: they throw (or, for the typed-array tag,
// return undefined) on anything lacking the internal slots, whatever its prototype or realm.
const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
const [typedArrayType, typedArrayBuffer, typedArrayByteOffset, typedArrayLength] =
  getters(TypedArrayPrototype, Symbol.toStringTag, "buffer", "byteOffset", "length");
const [viewBuffer, viewByteOffset, viewByteLength] = getters(DataView.prototype, "buffer", "byteOffset", "byteLength");
const [bufferByteLength] = getters(ArrayBuffer.prototype, "byteLength");
const [regExpSource, regExpFlags] = getters(RegExp.prototype, "source", "flags");
const dateTime = Date.prototype.getTime;

/** Run `fn`; if it throws, return `fallback(error)` instead. Keeps the never-throw paths short. */
function attempt(fn, fallback) {
  try {
    return fn();
  } catch (error) {
    return fallback(error);
  }
}

const NOT_BRANDED = Symbol("not branded");
const branded = (intrinsic, value) => attempt(() => intrinsic.call(value), () => NOT_BRANDED);

/** What a decoded value stands for when the original could not be represented. Frozen. */
export class Opaque {
  constructor(info) {
    for (const key of OPAQUE_FIELDS) if (typeof info?.[key] === "string") this[key] = info[key];
    Object.freeze(this);
  }
}

/**
 * Name of the nearest constructor on the prototype chain, read through property descriptors so
 * Proxies and RPC stubs with wildcard properties are not asked for `constructor`. Null for
 * primitives and null-prototype objects; "" when no usable constructor exists or reading it threw.
 */
export function className(value) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return null;
  return attempt(() => {
    for (let proto = getPrototypeOf(value); proto !== null; proto = getPrototypeOf(proto)) {
      const slot = ownDescriptor(proto, "constructor");
      if (slot === undefined) continue;
      const ctor = "value" in slot ? slot.value : slot.get?.call(value);
      return typeof ctor === "function" ? functionName(ctor) : "";
    }
    return getPrototypeOf(value) === null ? null : "";
  }, () => "");
}

function functionName(fn) {
  return attempt(() => ownDescriptor(fn, "name")?.value, () => "") ?? "";
}

/** Never throws: a report must reach the suite even when the reported value is hostile. */
function summarize(error) {
  const text = () => (typeof error === "object" && error !== null ? `${error.name}: ${error.message}` : String(error));
  return attempt(text, () => "an unprintable exception");
}

// ---------------------------------------------------------------------------------------------
// encode

/** Turn any value into a JSON-safe tree of tagged nodes. Never throws. */
export function encode(value) {
  return new Encoder().value(value);
}

class Encoder {
  ids = new Map();
  nextId = 1;
  depth = 0;

  value(value) {
    switch (typeof value) {
      case "string": case "boolean": return value;
      case "undefined": return { $: "undefined" };
      case "bigint": return { $: "bigint", value: String(value) };
      case "symbol": return value.description === undefined ? { $: "symbol" } : { $: "symbol", description: value.description };
      case "number": // String() spells NaN and ±Infinity the way Number() reads them back
        if (Number.isFinite(value) && !Object.is(value, -0)) return value;
        return { $: "number", value: Object.is(value, -0) ? "-0" : String(value) };
    }
    if (value === null) return null;
    const seen = this.ids.get(value);
    if (seen !== undefined) return { $: "ref", id: seen };
    // Ids are handed out before children are visited, so a cycle becomes a ref to an ancestor.
    const id = this.nextId++;
    this.ids.set(value, id);
    if (this.depth >= MAX_DEPTH) return opaqueNode(id, value, `nested deeper than ${MAX_DEPTH} levels`);
    this.depth++;
    const node = attempt(() => this.object(value, id), (error) => opaqueNode(id, value, `encoding threw ${summarize(error)}`));
    this.depth--;
    return node;
  }

  /** A throwing getter spoils only its own slot, not the whole report. */
  property(target, key) {
    const note = (error) => `reading ${JSON.stringify(key)} threw ${summarize(error)}`;
    return attempt(() => this.value(target[key]), (error) => ({ $: "opaque", id: this.nextId++, note: note(error) }));
  }

  props(target) {
    return Object.keys(target).map((key) => [key, this.property(target, key)]);
  }

  object(value, id) {
    if (value instanceof Opaque) return { $: "opaque", id, ...value }; // re-encodes to the same node
    if (typeof value === "function") return { $: "function", id, name: functionName(value), props: this.props(value) };
    if (Array.isArray(value)) return this.array(value, id);
    const type = typedArrayType.call(value);
    if (type !== undefined) {
      const buffer = this.value(typedArrayBuffer.call(value));
      return { $: "typedarray", id, type, buffer, byteOffset: typedArrayByteOffset.call(value), length: typedArrayLength.call(value) };
    }
    const tag = objectToString.call(value);
    const builtin = BUILTINS[tag];
    if (builtin && branded(builtin[0], value) !== NOT_BRANDED) return { $: builtin[1], id, ...builtin[2](value, this) };
    if (tag === "[object Error]" || tag === "[object DOMException]" || value instanceof Error) return this.error(value, id);
    const proto = getPrototypeOf(value);
    if (proto === null) return { $: "object", id, nullProto: true, props: this.props(value) };
    if (isObjectPrototype(proto)) return { $: "object", id, props: this.props(value) };
    // Host objects, promises and weak collections carry a tag of their own; user classes do not.
    if (tag !== "[object Object]") return opaqueNode(id, value);
    return { $: "object", id, class: className(value) ?? "", props: this.props(value) };
  }

  /** Walks own keys, never 0..length, so a `length` of 2**32-1 with two elements stays cheap. */
  array(value, id) {
    const length = value.length;
    const indexes = Object.keys(value).filter(isArrayIndex);
    if (indexes.length === length) return { $: "array", id, length, items: indexes.map((key) => this.property(value, key)) };
    return { $: "array", id, length, entries: indexes.map((key) => [Number(key), this.property(value, key)]) };
  }

  /** `name` and `message` get fields of their own; `stack` is dropped as it differs per runtime. */
  error(value, id) {
    const name = this.property(value, "name");
    const node = { $: "error", id, class: className(value) ?? "", name, message: this.property(value, "message"), props: [] };
    const hidden = [];
    for (const key of Object.getOwnPropertyNames(value)) {
      if (key === "stack" || key === "message" || key === "name") continue;
      if (!ownDescriptor(value, key)?.enumerable) hidden.push(key);
      node.props.push([key, this.property(value, key)]);
    }
    if (hidden.length > 0) node.nonEnumerable = hidden;
    return node;
  }
}

/**
 * Built-ins found by tag, then confirmed by their brand-checking intrinsic so that a forged
 * @@toStringTag falls through: tag -> [brand check, node tag, fields of the node].
 */
const BUILTINS = {
  "[object ArrayBuffer]": [bufferByteLength, "arraybuffer", (v) => ({ base64: bytesToBase64(new Uint8Array(v)) })],
  "[object DataView]": [viewByteLength, "dataview", (v, enc) => ({
    buffer: enc.value(viewBuffer.call(v)), byteOffset: viewByteOffset.call(v), byteLength: viewByteLength.call(v) })],
  "[object Date]": [dateTime, "date", (v) => ({ time: Number.isNaN(dateTime.call(v)) ? null : dateTime.call(v) })],
  "[object RegExp]": [regExpSource, "regexp", (v, enc) => ({
    source: regExpSource.call(v), flags: regExpFlags.call(v), lastIndex: enc.property(v, "lastIndex") })],
  // Iterating through this realm's intrinsics works on other realms' collections too.
  "[object Map]": [Map.prototype.entries, "map", (v, enc) => ({
    entries: Array.from(Map.prototype.entries.call(v), ([key, value]) => [enc.value(key), enc.value(value)]) })],
  "[object Set]": [Set.prototype.values, "set", (v, enc) => ({
    values: Array.from(Set.prototype.values.call(v), (value) => enc.value(value)) })],
};
for (const Box of [Number, String, Boolean, BigInt, Symbol]) {
  const valueOf = Box.prototype.valueOf;
  BUILTINS[`[object ${Box.name}]`] = [valueOf, "boxed", (v, enc) => ({ value: enc.value(valueOf.call(v)) })];
}

function opaqueNode(id, value, note) {
  const node = { $: "opaque", id, typeof: typeof value };
  const tag = branded(objectToString, value);
  if (tag !== NOT_BRANDED) node.tag = tag;
  const name = className(value);
  if (name) node.className = name;
  if (note) node.note = note;
  return node;
}

function isObjectPrototype(proto) {
  if (getPrototypeOf(proto) !== null) return false;
  const ctor = ownDescriptor(proto, "constructor")?.value;
  return typeof ctor === "function" && functionName(ctor) === "Object" && ownDescriptor(ctor, "prototype")?.value === proto;
}

function isArrayIndex(key) {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < MAX_ARRAY_LENGTH && String(n) === key;
}

// ---------------------------------------------------------------------------------------------
// decode

/** Rebuild a value from `encode`'s output. Throws a TypeError naming the path on malformed input. */
export function decode(encoded) {
  return new Decoder().node(encoded, "$");
}

function fail(what, path) {
  throw new TypeError(`harness.decode: ${what} at ${path}`);
}

/** Read a required field of a node, checking its kind ("index": a valid array length or offset). */
function field(node, key, kind, path) {
  const value = node[key];
  const ok = kind === "array" ? Array.isArray(value)
    : kind === "index" ? Number.isInteger(value) && value >= 0 && value <= MAX_ARRAY_LENGTH
    : typeof value === kind;
  if (!ok) fail(`"${node.$}" node needs ${kind} field "${key}"`, path);
  return value;
}

const optional = (value, kind) => value === undefined || typeof value === kind;
const propPath = (path, key) => path + (IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

class Decoder {
  objects = new Map();

  node(node, path) {
    if (node === null || typeof node === "string" || typeof node === "boolean") return node;
    if (typeof node === "number" && Number.isFinite(node)) return node;
    if (typeof node !== "object" || Array.isArray(node)) fail(`unexpected ${Array.isArray(node) ? "bare array" : typeof node}`, path);
    const { $: tag, id, value } = node;
    const bad = (what) => fail(`bad ${what} ${JSON.stringify(value)}`, path);
    switch (tag) {
      case "undefined": return undefined;
      case "number": return ["NaN", "Infinity", "-Infinity", "-0"].includes(value) ? Number(value) : bad("number");
      case "bigint": return typeof value === "string" && /^-?\d+$/.test(value) ? BigInt(value) : bad("bigint");
      case "symbol": return optional(node.description, "string") ? Symbol(node.description) : fail("bad symbol description", path);
      case "ref": return this.objects.has(id) ? this.objects.get(id) : fail(`dangling ref #${id}`, path);
    }
    if (typeof tag !== "string" || !Object.hasOwn(DECODERS, tag)) fail(`unknown tag ${JSON.stringify(tag)}`, path);
    if (!Number.isInteger(id)) fail(`"${tag}" node without an integer id`, path);
    if (this.objects.has(id)) fail(`duplicate id #${id}`, path);
    return DECODERS[tag](node, path, this);
  }

  /** Decoders register their object before decoding children, so refs inside can close cycles. */
  register(node, value) {
    this.objects.set(node.id, value);
    return value;
  }

  props(target, node, path, hidden = []) {
    for (const entry of field(node, "props", "array", path)) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") fail("bad property entry", path);
      // defineProperty, not assignment: a key such as "__proto__" must stay a plain own property.
      defineData(target, entry[0], this.node(entry[1], propPath(path, entry[0])), !hidden.includes(entry[0]));
    }
    return target;
  }

  /** A typed array or DataView over its (possibly shared) decoded buffer. */
  view(Ctor, node, path, sizeKey) {
    const buffer = this.node(node.buffer, `${path}.buffer`);
    const window = [field(node, "byteOffset", "index", path), field(node, sizeKey, "index", path)];
    if (branded(bufferByteLength, buffer) === NOT_BRANDED) fail("view over something other than an ArrayBuffer", path);
    const view = attempt(() => new Ctor(buffer, ...window), () => fail(`${Ctor.name} does not fit its buffer`, path));
    return this.register(node, view);
  }
}

function defineData(target, key, value, enumerable) {
  Object.defineProperty(target, key, { value, writable: true, enumerable, configurable: true });
}

const syntheticClasses = new Map();
/** One class per recorded name (an Error subclass for errors), so `constructor.name` round-trips. */
function syntheticClass(name, base) {
  const cacheKey = `${base ? "error" : "object"}:${name}`;
  if (!syntheticClasses.has(cacheKey)) {
    const made = base ? class extends base {} : class {};
    syntheticClasses.set(cacheKey, Object.defineProperty(made, "name", { value: name, configurable: true }));
  }
  return syntheticClasses.get(cacheKey);
}

/** This realm's own constructor for built-in error classes; a synthetic Error subclass otherwise. */
function newError(cls, message, name) {
  const builtin = BUILTIN_ERRORS.includes(cls) && typeof globalThis[cls] === "function";
  const Ctor = builtin ? globalThis[cls] : cls === "" ? Error : syntheticClass(cls, Error);
  if (builtin && cls === "AggregateError") return new Ctor([], message);
  if (builtin && cls === "DOMException") return new Ctor(message, name);
  return new Ctor(message);
}

const DECODERS = {
  object(node, path, d) {
    if (!optional(node.class, "string")) fail("bad class name", path);
    const target = node.nullProto === true ? Object.create(null)
      : node.class !== undefined ? Object.create(syntheticClass(node.class).prototype) : {};
    return d.props(d.register(node, target), node, path);
  },
  array(node, path, d) {
    const array = d.register(node, new Array(field(node, "length", "index", path)));
    if (Array.isArray(node.items) && node.items.length !== array.length) fail("items do not match length", path);
    const entries = Array.isArray(node.items) ? node.items.map((item, i) => [i, item]) : field(node, "entries", "array", path);
    for (const entry of entries) {
      const index = Array.isArray(entry) ? entry[0] : undefined;
      if (!Number.isInteger(index) || index < 0 || index >= array.length) fail("bad array entry", path);
      array[index] = d.node(entry[1], `${path}[${index}]`);
    }
    return array;
  },
  date(node, path, d) {
    if (node.time !== null && typeof node.time !== "number") fail("bad date time", path);
    return d.register(node, new Date(node.time ?? NaN));
  },
  regexp(node, path, d) {
    const [source, flags] = [field(node, "source", "string", path), field(node, "flags", "string", path)];
    const re = attempt(() => new RegExp(source, flags), () => fail(`invalid regular expression /${source}/${flags}`, path));
    d.register(node, re).lastIndex = d.node(node.lastIndex, `${path}.lastIndex`);
    return re;
  },
  map(node, path, d) {
    const map = d.register(node, new Map());
    for (const [i, entry] of field(node, "entries", "array", path).entries()) {
      if (!Array.isArray(entry) || entry.length !== 2) fail("bad map entry", path);
      map.set(d.node(entry[0], `${path}@key[${i}]`), d.node(entry[1], `${path}@value[${i}]`));
    }
    return map;
  },
  set(node, path, d) {
    const set = d.register(node, new Set());
    field(node, "values", "array", path).forEach((value, i) => set.add(d.node(value, `${path}@value[${i}]`)));
    return set;
  },
  boxed(node, path, d) {
    const primitive = d.node(node.value, `${path}.value`);
    if (primitive === null || primitive === undefined || typeof primitive === "object") fail("boxed non-primitive", path);
    return d.register(node, Object(primitive));
  },
  arraybuffer(node, path, d) {
    return d.register(node, base64ToBytes(field(node, "base64", "string", path), path).buffer);
  },
  typedarray(node, path, d) {
    const type = field(node, "type", "string", path);
    const Ctor = globalThis[type];
    if (typeof Ctor === "function" && getPrototypeOf(Ctor.prototype) === TypedArrayPrototype) return d.view(Ctor, node, path, "length");
    if (!TYPED_ARRAYS.includes(type)) fail(`unsupported typed array ${type}`, path);
    // A type this realm lacks (workerd has Float16Array, Node 20 not): say so rather than guess.
    d.node(node.buffer, `${path}.buffer`); // still decoded: later refs may point at it
    const note = `${type} is not available in this runtime`;
    return d.register(node, new Opaque({ typeof: "object", tag: `[object ${type}]`, className: type, note }));
  },
  dataview: (node, path, d) => d.view(DataView, node, path, "byteLength"),
  error(node, path, d) {
    const hidden = node.nonEnumerable ?? [];
    if (!Array.isArray(hidden)) fail("bad nonEnumerable list", path);
    const text = (value) => (typeof value === "string" ? value : undefined);
    const error = d.register(node, newError(field(node, "class", "string", path), text(node.message), text(node.name)));
    // Own props (stack, AggregateError's `errors`) are rebuilt from the record, in its order.
    for (const key of Object.getOwnPropertyNames(error)) if (key !== "message") Reflect.deleteProperty(error, key);
    const name = d.node(node.name, `${path}.name`);
    const message = d.node(node.message, `${path}.message`);
    if (!Object.is(error.message, message)) defineData(error, "message", message, false);
    if (!Object.is(error.name, name)) defineData(error, "name", name, false);
    return d.props(error, node, path, hidden);
  },
  function(node, path, d) {
    const name = field(node, "name", "string", path);
    const placeholder = () => fail(`decoded function placeholder ${JSON.stringify(name)} was called`, path);
    Object.defineProperty(placeholder, "name", { value: name, configurable: true });
    return d.props(d.register(node, placeholder), node, path);
  },
  opaque(node, path, d) {
    if (!OPAQUE_FIELDS.every((key) => optional(node[key], "string"))) fail("bad opaque field", path);
    return d.register(node, new Opaque(node));
  },
};

// ---------------------------------------------------------------------------------------------
// base64, written out so the module needs neither Buffer nor btoa

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const BASE64_VALUES = new Uint8Array(128).fill(255);
BASE64_CODES.forEach((code, value) => (BASE64_VALUES[code] = value));

/** Char codes go into a byte array first: string concatenation per char is far slower on big buffers. */
function bytesToBase64(bytes) {
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4).fill(61); // 61 is "="
  for (let i = 0, o = 0; i < bytes.length; i += 3, o += 4) {
    const left = bytes.length - i; // 1 or 2 near the end: the rest of the group stays "="
    const n = (bytes[i] << 16) | (left > 1 ? bytes[i + 1] << 8 : 0) | (left > 2 ? bytes[i + 2] : 0);
    codes[o] = BASE64_CODES[n >> 18];
    codes[o + 1] = BASE64_CODES[(n >> 12) & 63];
    if (left > 1) codes[o + 2] = BASE64_CODES[(n >> 6) & 63];
    if (left > 2) codes[o + 3] = BASE64_CODES[n & 63];
  }
  let out = "";
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode.apply(null, codes.subarray(i, i + 8192));
  return out;
}

function base64ToBytes(text, path) {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail("malformed base64", path);
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  for (let i = 0, o = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) n = (n << 6) | (BASE64_VALUES[text.charCodeAt(i + j)] & 63); // "=" reads as 0
    for (let shift = 16; shift >= 0 && o < bytes.length; shift -= 8) bytes[o++] = (n >> shift) & 255;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// describe

/**
 * Short deterministic rendering of an encoded value for failure messages. Tolerates malformed
 * input (renders `<malformed>`) because it runs while a failure is already being reported.
 */
export function describe(encoded) {
  const writer = new Writer(encoded);
  // The writer throws itself when the budget is spent; anything else means malformed input.
  attempt(() => writer.render(encoded), (error) => (error === writer ? undefined : (writer.text += "<malformed>")));
  return writer.text.length > DESCRIBE_LIMIT ? writer.text.slice(0, DESCRIBE_LIMIT) + "…" : writer.text;
}

class Writer {
  text = "";
  nodes = new Map(); // id -> node, to find a view's buffer behind a ref
  referenced = new Set(); // ids that some ref points at: only those get a `<#id>` label

  constructor(root) {
    const visit = (value) => {
      if (typeof value !== "object" || value === null) return;
      if (value.$ === "ref") this.referenced.add(value.id);
      else if (typeof value.$ === "string" && value.id !== undefined) this.nodes.set(value.id, value);
      for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child);
    };
    visit(root);
  }

  /** Throwing the writer unwinds the recursion once the budget is spent, so huge values stay cheap. */
  emit(...parts) {
    this.text += parts.join("");
    if (this.text.length > DESCRIBE_LIMIT) throw this;
  }

  list(items, each, open = "[", close = "]") {
    this.emit(open);
    items.forEach((item, i) => (i > 0 && this.emit(", "), each(item)));
    this.emit(close);
  }

  /** `{key: value, ...}`; with `trailing`, nothing for no entries and a leading space otherwise. */
  block(entries, trailing = false) {
    if (!Array.isArray(entries) || (trailing && entries.length === 0)) return trailing ? undefined : this.emit("{}");
    if (trailing) this.emit(" ");
    this.list(entries, ([key, value]) => (this.emit(IDENTIFIER.test(key) ? key : JSON.stringify(key), ": "), this.render(value)), "{", "}");
  }

  render(node) {
    if (node === null || typeof node === "boolean" || typeof node === "number") return this.emit(renderNumber(node));
    if (typeof node === "string") return this.emit(JSON.stringify(node));
    if (typeof node !== "object" || Array.isArray(node)) return this.emit("<malformed>");
    if (node.$ !== "ref" && this.referenced.has(node.id)) this.emit(`<#${node.id}> `);
    const sub = (child) => this.render(child);
    const holes = (n) => this.emit(n === 1 ? "<hole>" : `<${n} holes>`);
    switch (node.$) {
      case "undefined": return this.emit("undefined");
      case "number": return this.emit(String(node.value));
      case "bigint": return this.emit(node.value, "n");
      case "symbol": return this.emit(`Symbol(${node.description ?? ""})`);
      case "ref": return this.emit(`<ref #${node.id}>`);
      case "array": return this.list(arraySlots(node), (slot) => (slot.holes ? holes(slot.holes) : sub(slot.value)));
      case "date": return this.emit(`Date(${typeof node.time === "number" ? new Date(node.time).toISOString() : "Invalid Date"})`);
      case "regexp": return this.emit(`/${node.source}/${node.flags}`), this.block(node.lastIndex === 0 ? [] : [["lastIndex", node.lastIndex]], true);
      case "set": return this.emit(`Set(${node.values?.length}) `), this.list(node.values ?? [], sub, "{", "}");
      case "map":
        this.emit(`Map(${node.entries?.length}) `);
        return this.list(node.entries ?? [], ([key, value]) => (sub(key), this.emit(" => "), sub(value)), "{", "}");
      case "boxed": return this.emit("Object("), sub(node.value), this.emit(")");
      case "arraybuffer": return this.view("ArrayBuffer", Uint8Array, node, 0, undefined);
      case "dataview": return this.view("DataView", Uint8Array, this.bufferOf(node), node.byteOffset, node.byteLength);
      case "typedarray": return this.view(node.type, globalThis[node.type], this.bufferOf(node), node.byteOffset, node.length);
      case "function": return this.emit(`[Function${node.name ? `: ${node.name}` : " (anonymous)"}]`), this.block(node.props, true);
      case "opaque": return this.emit(`<opaque ${node.className || node.tag || node.typeof}${node.note ? `: ${node.note}` : ""}>`);
      case "object":
        if (node.nullProto) this.emit("[Object: null prototype] ");
        else if (node.class !== undefined) this.emit(node.class || "<anonymous class>", " ");
        return this.block(node.props);
      case "error": // the name is shown only when it differs from the class
        this.emit(node.class || "Error", "("), sub(node.message), this.emit(")");
        return this.block(node.name === node.class ? node.props : [["name", node.name], ...(node.props ?? [])], true);
      default: return this.emit("<malformed>");
    }
  }

  bufferOf(view) {
    return view.buffer?.$ === "ref" ? this.nodes.get(view.buffer.id) : view.buffer;
  }

  /** `Int16Array(2) [1, -0]`, `DataView(3) [0, 1, 255]`: at most 32 elements are shown. */
  view(label, Ctor, bufferNode, offset, length) {
    const view = attempt(() => new Ctor(base64ToBytes(bufferNode.base64, "").buffer, offset, length), () => undefined);
    if (view === undefined) return this.emit(label, `(${length ?? "?"}) [?]`); // malformed, or a type this realm lacks
    const shown = Array.from(view.subarray(0, 32), renderNumber).join(", ");
    this.emit(`${label}(${view.length}) [`, shown, view.length > 32 ? ", …]" : "]");
  }
}

function renderNumber(value) {
  return typeof value === "bigint" ? `${value}n` : Object.is(value, -0) ? "-0" : String(value);
}

/** Array slots with runs of holes collapsed, computed from entries so huge sparse arrays are cheap. */
function arraySlots(node) {
  if (Array.isArray(node.items)) return node.items.map((value) => ({ value }));
  const slots = [];
  let next = 0;
  for (const [index, value] of Array.isArray(node.entries) ? node.entries : []) {
    if (index > next) slots.push({ holes: index - next });
    slots.push({ value });
    next = index + 1;
  }
  if (node.length > next) slots.push({ holes: node.length - next });
  return slots;
}

// ---------------------------------------------------------------------------------------------
// probe-side helpers

/**
 * Run `fn` and report how it ended. A synchronous throw is flagged `sync: true` because an RPC
 * call must never throw synchronously: its errors belong in the returned promise.
 */
export async function observe(fn) {
  let pending;
  try {
    pending = fn();
  } catch (error) {
    return { ok: false, error, sync: true };
  }
  try {
    return { ok: true, value: await pending };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The probe's HTTP answer: the encoded result under a `harness: 1` marker. */
export function respond(result) {
  const body = JSON.stringify({ harness: 1, result: encode(result) });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

/** Decode an input that generated probe source embedded as a JSON string (see encodeInput). */
export function input(text) {
  return decode(JSON.parse(text));
}

/** A JS string literal holding the encoded value, ready to paste into generated probe source. */
export function encodeInput(value) {
  return JSON.stringify(JSON.stringify(encode(value)));
}

/** Node side: decode a probe's answer, or fail showing the status and body of what came back. */
export async function readResponse(response) {
  const text = await response.text();
  const problem = (why) => new Error(`harness.readResponse: ${why} (HTTP ${response.status}): ${text.slice(0, 500)}`);
  if (response.status !== 200) throw problem("probe did not answer 200");
  const body = attempt(() => JSON.parse(text), () => {
    throw problem("probe answer is not JSON");
  });
  if (body === null || typeof body !== "object" || body.harness !== 1 || !("result" in body)) {
    throw problem("probe answer lacks the harness marker");
  }
  return decode(body.result);
}

// ---------------------------------------------------------------------------------------------
// deep observation (the differential engine's view of a value; conformance/diff/)

/**
 * Everything a caller can observe about a value, as a JSON-able tree, without assuming anything
 * about what kind of value it is. Unlike `encode` (which rebuilds values), this only describes:
 * `typeof`; the prototype chain by constructor name; own keys in order (strings and symbols) with
 * their descriptors and, recursively, their values; `instanceof` against THIS realm's own
 * constructors; `Object.prototype.toString`; `String(x)` and `JSON.stringify(x)`; `in` for a few
 * probe keys; thenable or not; internal slots of built-ins (bytes as a digest); for errors their
 * name, message, remote, cause, own property names and the first line of the stack; for anything
 * that is not plain data (functions, stubs, bindings, class instances, errors) also its "surface":
 * `Object.keys`, `.constructor`, `new x.constructor()` and `x.then`. Every probe is guarded: a
 * throw is recorded as `{ threw: {...} }` in place of the answer. Objects seen twice (shared
 * references, cycles) become `{ t: "ref", id }` to the first occurrence. Deterministic: the same
 * value in the same runtime always gives the same tree (the order of probes is fixed).
 */
const DEEP_MAX_DEPTH = 24;
const DEEP_MAX_NODES = 3000;
const DEEP_MAX_KEYS = 64;
const DEEP_MAX_STRING = 200;
const DEEP_INSTANCEOF = ["Object", "Function", "Array", "Promise", "Error", "TypeError", "RangeError", "DOMException"];
const DEEP_IN_KEYS = ["then", "constructor", "toString", "toJSON", "valueOf", "dup", "fetch", "connect", "name",
  "message", "stack", "remote", "length", "prototype", "__proto__", "probeKey"];
const DEEP_IN_SYMBOLS = ["dispose", "asyncDispose", "iterator", "asyncIterator", "toPrimitive", "toStringTag"];
const DEEP_PLAIN_TAGS = new Set(["[object Object]", "[object Array]"]);

export function observeDeep(value) {
  return new DeepObserver().value(value, 0);
}

/** A thrown value in a few stable fields; never throws itself. */
export function deepThrown(error) {
  const node = { typeof: typeof error };
  const cls = className(error);
  if (cls !== null) node.class = cls;
  attempt(() => {
    if (typeof error === "object" && error !== null) {
      const name = error.name, message = error.message;
      if (typeof name === "string") node.name = name;
      if (typeof message === "string") node.message = shortText(message);
    } else node.value = shortText(String(error));
  }, () => (node.unreadable = true));
  node.instanceOfError = attempt(() => error instanceof Error, () => null);
  return node;
}

function guarded(fn) {
  try {
    return { ok: fn() };
  } catch (error) {
    return { threw: deepThrown(error) };
  }
}

/** For probes whose answer is a primitive: the answer itself, or `{ threw }`. */
function quick(fn) {
  const result = guarded(fn);
  return "threw" in result ? result : result.ok;
}

/** Strings longer than DEEP_MAX_STRING are recorded by length, prefix and digest. */
function shortText(text) {
  if (text.length <= DEEP_MAX_STRING) return text;
  return `${text.slice(0, 64)}…(${text.length} chars, fnv ${fnvString(text)})`;
}

function fnvString(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

function fnvBytes(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16);
}

function deepKey(key) {
  return typeof key === "symbol" ? { symbol: key.description ?? null } : key;
}

class DeepObserver {
  ids = new Map();
  nextId = 1;
  nodes = 0;

  value(value, depth) {
    switch (typeof value) {
      case "undefined": return { t: "undefined" };
      case "boolean": return { t: "boolean", v: value };
      case "number": return { t: "number", v: Object.is(value, -0) ? "-0" : String(value) };
      case "bigint": return { t: "bigint", v: String(value) };
      case "string": return { t: "string", v: shortText(value) };
      case "symbol": return { t: "symbol", v: value.description ?? null };
    }
    if (value === null) return { t: "null" };
    const seen = this.ids.get(value);
    if (seen !== undefined) return { t: "ref", id: seen };
    const id = this.nextId++;
    this.ids.set(value, id);
    if (depth >= DEEP_MAX_DEPTH || ++this.nodes > DEEP_MAX_NODES) return { t: "truncated", id, typeof: typeof value };
    return this.object(value, id, depth);
  }

  /** A guarded probe whose answer is itself a value to describe. */
  probe(fn, depth) {
    const result = guarded(fn);
    return "threw" in result ? result : { ok: this.value(result.ok, depth + 1) };
  }

  object(value, id, depth) {
    const node = { t: typeof value, id };
    node.proto = protoChain(value);
    node.tag = quick(() => objectToString.call(value));
    // Names of this realm's constructors the value is an instance of ("Name!" when instanceof threw).
    node.instanceOf = [];
    for (const name of DEEP_INSTANCEOF) {
      const Ctor = globalThis[name];
      const answer = typeof Ctor === "function" ? quick(() => value instanceof Ctor) : false;
      if (answer !== false) node.instanceOf.push(answer === true ? name : `${name}!`);
    }
    const keys = guarded(() => Reflect.ownKeys(value));
    if ("threw" in keys) node.keys = keys;
    else {
      const all = keys.ok;
      node.keys = all.slice(0, DEEP_MAX_KEYS).map((key) => this.ownKey(value, key, depth));
      if (all.length > DEEP_MAX_KEYS) node.keyCount = all.length;
    }
    const slots = this.slots(value, depth);
    if (slots) node.slots = slots;
    node.in = [];
    for (const key of DEEP_IN_KEYS) if (guarded(() => key in value).ok === true) node.in.push(key);
    for (const name of DEEP_IN_SYMBOLS) {
      const symbol = Symbol[name];
      if (typeof symbol === "symbol" && guarded(() => symbol in value).ok === true) node.in.push(`@@${name}`);
    }
    const tag = node.tag;
    const plain = DEEP_PLAIN_TAGS.has(tag) && typeof value !== "function" && isPlainPrototype(value);
    const isError = tag === "[object Error]" || tag === "[object DOMException]" || guarded(() => value instanceof Error).ok === true;
    if (isError) node.error = this.error(value, depth);
    const then = guarded(() => value.then);
    node.thenable = "threw" in then ? then : typeof then.ok === "function";
    node.string = quick(() => shortText(String(value)));
    node.json = quick(() => {
      const text = JSON.stringify(value);
      return text === undefined ? { undefined: true } : shortText(text);
    });
    if (!plain && !slots) node.surface = this.surface(value, then);
    return node;
  }

  ownKey(target, key, depth) {
    const entry = { key: deepKey(key) };
    const descriptor = guarded(() => ownDescriptor(target, key));
    if ("threw" in descriptor) return { ...entry, descriptor };
    const d = descriptor.ok;
    if (d === undefined) return { ...entry, missing: true };
    const flags = (d.enumerable ? "e" : "-") + ("value" in d ? (d.writable ? "w" : "-") : "") + (d.configurable ? "c" : "-");
    if ("value" in d) {
      // A stack is recorded as its first line and its length in lines: frames name files and lines.
      if (key === "stack" && typeof d.value === "string") return { ...entry, kind: "data", flags, value: stackNode(d.value) };
      return { ...entry, kind: "data", flags, value: this.value(d.value, depth + 1) };
    }
    // What a caller reading the key gets: the getter runs on the object itself.
    let read = typeof d.get === "function" ? this.probe(() => d.get.call(target), depth) : undefined;
    if (key === "stack" && read?.ok?.t === "string") read = { ok: stackNode(d.get.call(target)) };
    return { ...entry, kind: "accessor", flags, get: typeof d.get === "function", set: typeof d.set === "function", ...(read && { read }) };
  }

  /** Internal slots of built-ins, confirmed by brand checks so forged tags do not count. */
  slots(value, depth) {
    if (branded(bufferByteLength, value) !== NOT_BRANDED) {
      const bytes = new Uint8Array(value);
      return { arrayBuffer: { byteLength: bytes.length, fnv: fnvBytes(bytes), head: Array.from(bytes.subarray(0, 16)) } };
    }
    const type = branded(typedArrayType, value);
    if (type !== NOT_BRANDED && type !== undefined) {
      return { typedArray: { type, byteOffset: typedArrayByteOffset.call(value), length: typedArrayLength.call(value),
        buffer: this.value(typedArrayBuffer.call(value), depth + 1) } };
    }
    if (branded(viewByteLength, value) !== NOT_BRANDED) {
      return { dataView: { byteOffset: viewByteOffset.call(value), byteLength: viewByteLength.call(value),
        buffer: this.value(viewBuffer.call(value), depth + 1) } };
    }
    const time = branded(dateTime, value);
    if (time !== NOT_BRANDED) return { date: Number.isNaN(time) ? "Invalid" : time };
    const source = branded(regExpSource, value);
    if (source !== NOT_BRANDED) return { regExp: { source, flags: regExpFlags.call(value) } };
    if (branded(Map.prototype.entries, value) !== NOT_BRANDED) {
      const entries = Array.from(Map.prototype.entries.call(value)).slice(0, DEEP_MAX_KEYS);
      return { map: { size: Map.prototype[Symbol.iterator] && mapSize(value), entries: entries.map(([k, v]) => [this.value(k, depth + 1), this.value(v, depth + 1)]) } };
    }
    if (branded(Set.prototype.values, value) !== NOT_BRANDED) {
      const values = Array.from(Set.prototype.values.call(value)).slice(0, DEEP_MAX_KEYS);
      return { set: { size: setSize(value), values: values.map((v) => this.value(v, depth + 1)) } };
    }
    for (const Box of [Number, String, Boolean, BigInt, Symbol]) {
      const inner = branded(Box.prototype.valueOf, value);
      if (inner !== NOT_BRANDED) return { boxed: this.value(inner, depth + 1) };
    }
    return undefined;
  }

  error(value, depth) {
    const read = (key) => this.probe(() => value[key], depth);
    const node = { name: read("name"), message: read("message"), remote: read("remote") };
    const hasCause = guarded(() => Object.prototype.hasOwnProperty.call(value, "cause"));
    node.hasCause = hasCause;
    if (hasCause.ok === true) node.cause = read("cause");
    node.ownNames = guarded(() => Object.getOwnPropertyNames(value));
    node.stackLine = guarded(() => {
      const stack = value.stack;
      return typeof stack === "string" ? shortText(stack.split("\n")[0]) : { typeof: typeof stack };
    });
    return node;
  }

  /** What a caller poking at a stub, binding, function or instance gets; every step guarded. */
  surface(value, then) {
    const surface = {};
    surface.objectKeys = guarded(() => Object.keys(value).slice(0, DEEP_MAX_KEYS));
    const ctor = guarded(() => value.constructor);
    surface.constructor = "threw" in ctor ? ctor : { ok: shallow(ctor.ok) };
    if (!("threw" in ctor)) surface.newConstructor = guarded(() => shallow(new ctor.ok()));
    surface.then = "threw" in then ? then : { ok: shallow(then.ok) };
    return surface;
  }
}

function stackNode(stack) {
  const lines = stack.split("\n");
  return { t: "stack", firstLine: shortText(lines[0]), lines: lines.length };
}

/** A value in one line: typeof plus constructor name (or the primitive itself). */
function shallow(value) {
  if (value === null) return { typeof: "null" };
  if (typeof value !== "object" && typeof value !== "function") {
    return { typeof: typeof value, value: typeof value === "symbol" ? value.description ?? null : shortText(String(value)) };
  }
  const node = { typeof: typeof value, class: className(value) };
  if (typeof value === "function") node.name = attempt(() => functionName(value), () => "");
  // An unawaited promise that rejects must not become an unhandled rejection in the probe.
  attempt(() => {
    if (branded(Promise.prototype.then, value) === NOT_BRANDED) return;
    Promise.prototype.then.call(value, undefined, () => {});
  }, () => {});
  return node;
}

function mapSize(value) {
  return ownDescriptor(Map.prototype, "size").get.call(value);
}

function setSize(value) {
  return ownDescriptor(Set.prototype, "size").get.call(value);
}

/** Names of the constructors along the prototype chain, read through descriptors (never `constructor` on a stub). */
function protoChain(value) {
  const chain = [];
  return attempt(() => {
    for (let proto = getPrototypeOf(value); proto !== null && chain.length < 16; proto = getPrototypeOf(proto)) {
      const slot = ownDescriptor(proto, "constructor");
      const ctor = slot && "value" in slot ? slot.value : undefined;
      chain.push(typeof ctor === "function" ? functionName(ctor) || "<anonymous>" : slot ? "<accessor>" : "<no constructor>");
    }
    return chain;
  }, (error) => [...chain, { threw: deepThrown(error) }]);
}

/** An object whose prototype is this or another realm's Object.prototype or Array.prototype. */
function isPlainPrototype(value) {
  const proto = attempt(() => getPrototypeOf(value), () => undefined);
  if (proto === null) return true;
  if (proto === undefined) return false;
  if (isObjectPrototype(proto)) return true;
  const up = attempt(() => getPrototypeOf(proto), () => undefined);
  return Array.isArray(value) && up !== undefined && up !== null && isObjectPrototype(up);
}
