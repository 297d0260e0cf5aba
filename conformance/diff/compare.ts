/**
 * Comparing two normalised observations: the first path where they differ (in a fixed walk
 * order), every differing path (capped), and a grouping signature that survives generated names.
 */

export interface Difference {
  /** Readable path, e.g. `steps[call].rejected.error.message`. */
  path: string;
  /** The path with generated parts (key names, step indexes) replaced by `*`: what groups divergences. */
  group: string;
  a: unknown;
  b: unknown;
}

const MAX_DIFFERENCES = 100;

/** Keys whose names are the runtime's, not the generated program's: kept in grouping signatures. */
const STABLE_KEYS = new Set(["stack", "message", "name", "cause", "remote", "constructor", "length", "errors", "code", "then", "props", "env", "ctx",
  "waitUntil", "passThroughOnException", "exports", "abort", "fetch", "connect", "prototype", "status", "statusText", "body"]);

export function differences(a: unknown, b: unknown): Difference[] {
  const out: Difference[] = [];
  walk(a, b, [], [], out);
  for (const d of out) d.group = collapse(d.group);
  return out;
}

/** Nesting depth is generated too: a run of `.keys[…].value` (or slot entries) keeps only its last step. */
function collapse(group: string): string {
  return group.replace(/(?:\.keys\[[^\]]*\]\.value|\.slots\.(?:map\.entries|set\.values)\[\*\](?:\[\*\])?)+(?=\.keys\[[^\]]*\]\.value|\.slots)/g, ".…");
}

function label(element: unknown, index: number, parentKey: string | undefined): { path: string; group: string } {
  if (element && typeof element === "object" && !Array.isArray(element)) {
    const e = element as Record<string, unknown>;
    if ((parentKey === "steps" || parentKey === "returned") && typeof e.label === "string") {
      const kind = Object.keys(e).find((k) => k !== "label") ?? "";
      const op = e.label.replace(/^\d+:/, "");
      return { path: `[${e.label}:${kind}]`, group: `[${op}:${kind}]` };
    }
    if (parentKey === "keys" && "key" in e) {
      const key = e.key;
      if (typeof key === "string") return { path: `[${JSON.stringify(key)}]`, group: STABLE_KEYS.has(key) ? `[${JSON.stringify(key)}]` : "[*]" };
      return { path: `[@${JSON.stringify((key as { symbol: unknown }).symbol)}]`, group: "[@symbol]" };
    }
  }
  return { path: `[${index}]`, group: "[*]" };
}

function walk(a: unknown, b: unknown, path: string[], group: string[], out: Difference[]): void {
  if (out.length >= MAX_DIFFERENCES) return;
  if (Object.is(a, b)) return;
  const push = () => out.push({ path: path.join("") || "(root)", group: group.join("") || "(root)", a, b });
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return void push();
  if (Array.isArray(a) && Array.isArray(b)) {
    const parentKey = path.length ? path[path.length - 1]!.replace(/^\./, "") : undefined;
    // Lists of keys or steps are aligned by their label, so one extra entry is one difference.
    const keyed = (list: unknown[]) => list.map((e, i) => ({ e, i, l: label(e, i, parentKey) }));
    const la = keyed(a), lb = keyed(b);
    const byLabel = (list: typeof la) => new Map(list.map((x) => [x.l.path, x]));
    const ma = byLabel(la), mb = byLabel(lb);
    const aligned = la.every((x) => /^\[\d+\]$/.test(x.l.path)) && lb.every((x) => /^\[\d+\]$/.test(x.l.path));
    if (aligned || ma.size !== la.length || mb.size !== lb.length) {
      if (a.length !== b.length && out.length < MAX_DIFFERENCES) {
        out.push({ path: `${path.join("")}.length`, group: `${group.join("")}.length`, a: a.length, b: b.length });
      }
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const l = label(a[i], i, parentKey);
        walk(a[i], b[i], [...path, l.path], [...group, l.group], out);
      }
      return;
    }
    const order = [...new Set([...la.map((x) => x.l.path), ...lb.map((x) => x.l.path)])];
    for (const key of order) {
      const x = ma.get(key), y = mb.get(key);
      const l = (x ?? y)!.l;
      if (!x || !y) out.push({ path: `${path.join("")}${l.path}`, group: `${group.join("")}${l.group}`, a: x?.e ?? "<absent>", b: y?.e ?? "<absent>" });
      else walk(x.e, y.e, [...path, l.path], [...group, l.group], out);
      if (out.length >= MAX_DIFFERENCES) return;
    }
    if (la.map((x) => x.l.path).join() !== lb.map((x) => x.l.path).join() && [...ma.keys()].every((k) => mb.has(k)) && ma.size === mb.size) {
      out.push({ path: `${path.join("")}.order`, group: `${group.join("")}.order`, a: la.map((x) => x.l.path), b: lb.map((x) => x.l.path) });
    }
    return;
  }
  const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])];
  for (const key of keys) {
    if (!(key in ao) || !(key in bo)) {
      out.push({ path: `${path.join("")}.${key}`, group: `${group.join("")}.${key}`, a: key in ao ? ao[key] : "<absent>", b: key in bo ? bo[key] : "<absent>" });
    } else walk(ao[key], bo[key], [...path, `.${key}`], [...group, `.${key}`], out);
    if (out.length >= MAX_DIFFERENCES) return;
  }
}
