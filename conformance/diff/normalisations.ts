/**
 * The normalisation list: differences between two runtimes' observations that are incidental,
 * not behaviour a program can rely on. Each entry names the difference and says why it is
 * incidental. Both observations go through every entry before they are compared, so an entry
 * can only hide a difference, never create one. Adding an entry is a claim that must be argued
 * in its `reason`; the fidelity work prefers fixing the runtime to growing this list.
 */

export interface Normalisation {
  name: string;
  reason: string;
  /** Rewrite one node of the observation tree (called bottom-up on every object node). */
  apply(node: Record<string, unknown>): void;
}

/** Messages and stack lines: file names with line and column numbers. */
const SOURCE_POSITION = /\(?(?:file:\/\/|https?:\/\/)?[\w./\\-]+\.(?:js|mjs|cjs|ts):\d+(?::\d+)?\)?/g;

function rewriteStrings(node: Record<string, unknown>, rewrite: (text: string) => string): void {
  for (const [key, value] of Object.entries(node)) if (typeof value === "string") node[key] = rewrite(value);
}

export const NORMALISATIONS: Normalisation[] = [
  {
    name: "stack-frames",
    reason: "A stack's frames name files, lines and host functions of the runtime itself; only its first line (name and message) is behaviour. The harness already records a stack as its first line and line count; the count goes.",
    apply(node) {
      if (node.t === "stack") delete node.lines;
    },
  },
  {
    name: "stack-descriptor",
    reason: "Whether an error's `stack` is an own data property (Node 20's V8, hence the reference) or an own accessor pair (the newer V8 inside workerd) depends on the V8 version, not on RPC; only its presence and first line are compared.",
    apply(node) {
      if (node.key !== "stack") return;
      if (node.kind === "accessor") {
        node.value = (node.read as { ok?: unknown } | undefined)?.ok ?? node.read;
        delete node.read;
        delete node.get;
        delete node.set;
      }
      node.kind = "stack";
      delete node.flags;
    },
  },
  {
    name: "source-positions",
    reason: "File names, line and column numbers in messages depend on how each runtime loads modules (bundled, compiled, vm), not on the program's behaviour.",
    apply(node) {
      rewriteStrings(node, (text) => text.replace(SOURCE_POSITION, "<position>"));
    },
  },
  {
    name: "internal-error-ids",
    reason: "workerd tags internal errors with a random reference id (\"internal error; reference = 0abc…\"); the id changes on every run.",
    apply(node) {
      rewriteStrings(node, (text) => text.replace(/reference = [0-9a-z]+/g, "reference = <id>"));
    },
  },
];

/** Web API classes a runtime takes from its host (undici in Node, workerd's own in C++). */
const HOST_WEB_TAGS = new Set(["[object Response]", "[object Request]", "[object Headers]", "[object ReadableStream]", "[object WritableStream]",
  "[object Blob]", "[object URL]", "[object URLSearchParams]", "[object FormData]", "[object AbortSignal]"]);

NORMALISATIONS.push({
  name: "host-web-object-layout",
  reason: "Response, Request, Headers, streams, Blob and URL come from the host's Web API implementation (undici in Node, C++ in workerd): their internal own keys, intermediate prototypes (workerd's Body) and `in` answers describe that implementation, not RPC. Their tag, realm identity (instanceOf), String/JSON and constructor stay compared.",
  apply(node) {
    const first = Array.isArray(node.proto) ? node.proto[0] : undefined;
    const host = (typeof node.tag === "string" && HOST_WEB_TAGS.has(node.tag)) || (typeof first === "string" && HOST_WEB_TAGS.has(`[object ${first}]`));
    if (!host) return;
    node.proto = Array.isArray(node.proto) ? node.proto.slice(0, 1) : node.proto;
    delete node.keys;
    delete node.keyCount;
    delete node.in;
  },
});

/** Apply every normalisation (or those named in `only`) to a deep copy of `tree`. */
export function normalise(tree: unknown, only?: readonly string[]): unknown {
  const active = only ? NORMALISATIONS.filter((n) => only.includes(n.name)) : NORMALISATIONS;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) copy[key] = walk(child);
    for (const n of active) n.apply(copy);
    return copy;
  };
  return walk(tree);
}

/**
 * The `outcomes` lens (`npm run diff -- --lens=outcomes`): not a normalisation (it hides real
 * differences) but a way to look past surface differences at behaviour. Each step keeps how it
 * ended (resolved, rejected, threw synchronously, still pending) and, for what it produced, only
 * primitives, error names and messages, and the shape of plain containers; stubs, host objects and
 * functions become their `typeof`. Call-result shapes are dropped.
 */
export function outcomesLens(observation: unknown): unknown {
  if (observation === null || typeof observation !== "object") return observation;
  const o = observation as { outcome?: unknown; steps?: Array<Record<string, unknown>> };
  if (!Array.isArray(o.steps)) return { outcome: o.outcome };
  return {
    outcome: o.outcome,
    steps: o.steps.map((step) => {
      const kind = Object.keys(step).find((k) => k !== "label")!;
      return { label: step.label, [kind]: essence(step[kind], 0) };
    }),
  };
}

function essence(node: unknown, depth: number): unknown {
  if (node === null || typeof node !== "object" || depth > 8) return node;
  const n = node as Record<string, any>;
  if (Array.isArray(node)) return node.map((x) => essence(x, depth + 1));
  if (typeof n.t !== "string") return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, essence(v, depth + 1)]));
  if (n.t !== "object" && n.t !== "function") return n.t === "stack" ? { t: "stack", firstLine: n.firstLine } : n;
  if (n.error) return { t: "error", name: n.error.name, message: n.error.message };
  const plain = Array.isArray(n.proto) && (n.proto[0] === "Object" || n.proto[0] === "Array") && n.t === "object";
  if (!plain || !Array.isArray(n.keys)) return { t: n.t };
  const keys = n.keys.filter((k: any) => typeof k.key === "string" && k.flags?.startsWith("e"));
  return { t: n.t, entries: keys.map((k: any) => [k.key, essence(k.value ?? k.read, depth + 1)]) };
}
