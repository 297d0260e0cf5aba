/**
 * `HTMLRewriter` in every worker's global scope, as workerd provides it: `new HTMLRewriter()`,
 * `.on(selector, handlers)`, `.onDocument(handlers)`, `.transform(response)` → a new Response whose
 * body is the rewritten HTML. The parser and rewriter are lol-html compiled to WebAssembly
 * (`html-rewriter-wasm`); this file adapts its push API to `transform`.
 *
 * The WebAssembly build suspends through one shared asyncify stack while a handler's promise is
 * pending, so rewrites run one at a time; each waits its turn.
 */
import { createRequire } from "node:module";
import type { WorkerRealm } from "../loading/realm.ts";

const require = createRequire(import.meta.url);

type Handlers = Record<string, unknown>;
interface WasmRewriter {
  on(selector: string, handlers: Handlers): WasmRewriter;
  onDocument(handlers: Handlers): WasmRewriter;
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<void>;
  free(): void;
}
type WasmRewriterClass = new (sink: (chunk: Uint8Array) => void) => WasmRewriter;

let wasmRewriter: WasmRewriterClass | undefined;
/** Loaded on first use: workers that never rewrite HTML do not pay for compiling it. */
function loadRewriter(): WasmRewriterClass {
  wasmRewriter ??= (require("html-rewriter-wasm") as { HTMLRewriter: WasmRewriterClass }).HTMLRewriter;
  return wasmRewriter;
}

let turn: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const result = turn.then(work);
  turn = result.catch(() => undefined);
  return result;
}

const ELEMENT_HANDLERS = ["element", "comments", "text"] as const;
const DOCUMENT_HANDLERS = ["doctype", "comments", "text", "end"] as const;

/** The user's handler object, its methods called with it as `this` (the wasm side calls them bare). */
function boundHandlers(handlers: unknown, names: readonly string[]): Handlers {
  const bound: Handlers = {};
  if (typeof handlers !== "object" || handlers === null) throw new TypeError("HTMLRewriter: handlers must be an object");
  for (const name of names) {
    const method = (handlers as Handlers)[name];
    if (typeof method === "function") bound[name] = (value: unknown) => method.call(handlers, value);
  }
  return bound;
}

class HTMLRewriter {
  readonly #registrations: ((rewriter: WasmRewriter) => void)[] = [];

  on(selector: string, handlers: unknown): this {
    const bound = boundHandlers(handlers, ELEMENT_HANDLERS);
    this.#registrations.push((rewriter) => rewriter.on(String(selector), bound));
    return this;
  }

  onDocument(handlers: unknown): this {
    const bound = boundHandlers(handlers, DOCUMENT_HANDLERS);
    this.#registrations.push((rewriter) => rewriter.onDocument(bound));
    return this;
  }

  transform(response: Response): Response {
    if (!(response instanceof Response)) throw new TypeError("HTMLRewriter.transform() expects a Response");
    const registrations = [...this.#registrations];
    const source = response.body;
    const headers = new Headers(response.headers);
    headers.delete("content-length"); // the rewritten body has its own length
    if (source === null) return new Response(null, { status: response.status, statusText: response.statusText, headers });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        void oneAtATime(async () => {
          const Rewriter = loadRewriter();
          const rewriter = new Rewriter((chunk) => {
            if (chunk.length > 0) controller.enqueue(new Uint8Array(chunk)); // a copy: the chunk is a view of wasm memory
          });
          try {
            for (const register of registrations) register(rewriter);
            for await (const chunk of source as unknown as AsyncIterable<Uint8Array>) await rewriter.write(chunk);
            await rewriter.end();
            controller.close();
          } catch (error) {
            controller.error(error);
          } finally {
            rewriter.free();
          }
        });
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  }
}

/** Put `HTMLRewriter` on a worker's global scope. */
export function installHTMLRewriter(realm: WorkerRealm): void {
  realm.global.HTMLRewriter = HTMLRewriter;
}
