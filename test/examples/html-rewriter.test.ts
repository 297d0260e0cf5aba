/**
 * HTMLRewriter, as front-end workers use it to render pages, gives the same bytes on the reference
 * (lol-html in WebAssembly, html-rewriter-wasm) as on workerd: element, text, comment and document
 * handlers, HTML and text content, attributes, removal, async handlers, and chunked input.
 */
import { expect } from "chai";
import type { WorkerDefinition } from "../../reference/index.ts";
import { startBoth, type BothRuntimes } from "./helpers.ts";

const TEMPLATE = `<!doctype html>
<html><head><title>t</title><!-- a comment --></head>
<body>
  <h1 class="title" data-x="1">Heading &amp; more</h1>
  <ul id="list"><li>old</li></ul>
  <p class="drop">gone</p>
  <p class="keep">kept <b>bold</b> text</p>
  <a href="/relative">link</a>
  <img src="a.png">
</body></html>`;

const WORKER = `
const TEMPLATE = ${JSON.stringify(TEMPLATE)};
function streamed(text, size) {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
      controller.close();
    },
  });
}
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const size = Number(url.searchParams.get("chunk") ?? 100000);
    const page = new Response(streamed(TEMPLATE, size), { headers: { "content-type": "text/html; charset=utf-8", "x-kept": "yes" } });
    const texts = [];
    const rewritten = new HTMLRewriter()
      .on("title", { element: (el) => el.setInnerContent("A <page> & more") })
      .on("h1.title", {
        element(el) {
          el.setAttribute("data-x", el.getAttribute("data-x") + "2");
          el.removeAttribute("class");
          el.prepend("<em>new</em> ", { html: true });
          el.after("<hr>", { html: true });
        },
        text(chunk) { if (chunk.text) texts.push(chunk.text); },
      })
      .on("#list", { async element(el) { await new Promise((r) => setTimeout(r, 5)); el.setInnerContent("<li>one</li><li>two</li>", { html: true }); } })
      .on("p.drop", { element: (el) => el.remove() })
      .on("p.keep b", { element: (el) => el.removeAndKeepContent() })
      .on("a[href^='/']", { element: (el) => el.setAttribute("href", "https://example.com" + el.getAttribute("href")) })
      .on("img", { element: (el) => el.replace("<picture></picture>", { html: true }) })
      .on("*", { comments: (c) => c.replace("<!-- replaced -->", { html: true }) })
      .onDocument({ end: (end) => end.append("<!-- end -->", { html: true }) })
      .transform(page);
    const body = await rewritten.text();
    return new Response(body + "\\n" + JSON.stringify(texts), { status: rewritten.status, headers: rewritten.headers });
  },
};`;

const definition: WorkerDefinition = {
  name: "rewriter",
  main: "index.js",
  modules: { "index.js": WORKER },
  compatibilityDate: "2024-04-03",
  compatibilityFlags: [],
  vars: {},
  services: [],
};

describe("examples: HTMLRewriter on the reference and on workerd", function () {
  let both: BothRuntimes;
  before(async () => {
    both = await startBoth([definition]);
  });
  after(async () => both?.dispose());

  for (const chunk of [100000, 7, 1]) {
    it(`rewrites a page the same way, fed in ${chunk === 100000 ? "one chunk" : `${chunk}-byte chunks`}`, async function () {
      const { reference, workerd } = await both.ask("rewriter", `/?chunk=${chunk}`);
      expect(workerd.body).to.contain("A &lt;page&gt; &amp; more");
      expect(reference).to.deep.equal(workerd);
    });
  }
});
