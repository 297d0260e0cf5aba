/**
 * The acceptance case for running apps people write (issue 13): test/fixtures/bookshelf/ is a
 * three-worker app written the way a stranger would — a TypeScript front end rendering HTML text
 * modules with HTMLRewriter, named entrypoints, an RpcTarget holding a D1 binding in a private
 * field, a worker bound to its own entrypoint, .bin/.wasm/.md modules, and config keys the
 * reference does not run. It is migrated and served with the CLI exactly as the README says, as
 * child processes, and used over HTTP.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { spawnReferenceCli, type ReferenceCli } from "./helpers.ts";

const APP = "test/fixtures/bookshelf";
const CONFIGS = ["-c", `${APP}/web/wrangler.toml`, "-c", `${APP}/library/wrangler.toml`, "-c", `${APP}/auth/wrangler.toml`];


describe("reference: a multi-worker app written elsewhere runs unchanged after its migrations", function () {
  this.timeout(60000);
  let state: string;
  let server: ReferenceCli;
  let base: string;

  before(async function () {
    state = mkdtempSync(path.join(tmpdir(), "reference-bookshelf-"));
    const migrate = spawnReferenceCli(["d1", "migrations", "apply", "bookshelf", "-c", `${APP}/library/wrangler.toml`, "--persist-to", state]);
    expect(await migrate.exited, migrate.stderr()).to.equal(0);
    expect(migrate.stdout()).to.equal("applied: 0001_shelves.sql\napplied: 0002_seed.sql\n");
    server = spawnReferenceCli([...CONFIGS, "--persist-to", state, "--port", "0"]);
    const deadline = Date.now() + 30000;
    for (;;) {
      const port = /ready on http:\/\/127\.0\.0\.1:(\d+)/.exec(server.stdout())?.[1];
      if (port !== undefined) {
        base = `http://127.0.0.1:${port}`;
        break;
      }
      if (Date.now() > deadline) throw new Error(`the app did not start: ${server.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  after(async function () {
    server?.child.kill("SIGTERM");
    await server?.exited;
    rmSync(state, { recursive: true, force: true });
  });

  it("warns once per unsupported key, naming file, line and key, and starts anyway", function () {
    expect(server.stderr().split("\n").filter((line) => line.startsWith("warning: "))).to.deep.equal([
      `warning: ${APP}/web/wrangler.toml:10: kv_namespaces[0]: not supported by the reference runtime, ignored; env.CACHE will throw when used`,
      `warning: ${APP}/web/wrangler.toml:7: observability: unknown key, ignored by the reference runtime`,
      `warning: ${APP}/library/wrangler.toml:18: triggers: unknown key, ignored by the reference runtime`,
    ]);
  });

  it("renders a shelf: an HTML text module filled in by HTMLRewriter from rows the RpcTarget read", async function () {
    const response = await fetch(`${base}/shelves/classics`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).to.contain("<title>Bookshelf: classics</title>");
    expect(html).to.contain('<ul id="books"><li data-id="1">Middlemarch</li><li data-id="2">Moby-Dick</li></ul>');
    expect(html).to.contain('<span id="count">2</span>');
  });

  it("writes through a pipelined call on the RpcTarget, guarded by a third worker, and reads it back", async function () {
    const refused = await fetch(`${base}/shelves/sci-fi/books?title=Dune`, { method: "POST" });
    expect(refused.status).to.equal(403);
    const created = await fetch(`${base}/shelves/sci-fi/books?title=${encodeURIComponent("Dune <1965>")}`, { method: "POST", headers: { authorization: "Bearer let-me-write" } });
    expect(created.status).to.equal(201);
    expect(await created.json()).to.deep.equal({ id: 3, title: "Dune <1965>" });
    const html = await (await fetch(`${base}/shelves/sci-fi`)).text();
    expect(html).to.contain('<li data-id="3">Dune &#60;1965&#62;</li>');
  });

  it("counts through the library's binding to its own Stats entrypoint, with .bin and .wasm modules", async function () {
    const stats = await (await fetch(`${base}/stats`)).json();
    expect(stats).to.deep.equal({ shelves: 2, books: 3, logoBytes: 17, sum: 5 });
  });

  it("serves a [[rules]] Text module (.md), and a clear error when code touches the KV binding", async function () {
    expect(await (await fetch(`${base}/about`)).text()).to.equal("# About\n\nA small library, kept in D1.\n");
    const cached = await fetch(`${base}/cached`);
    expect(cached.status).to.equal(500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.stderr()).to.contain(
      'env.CACHE is a kv_namespaces binding, which the reference runtime does not provide (it provides vars, services and d1_databases)',
    );
  });

  it("logs a rejection nobody awaited (a failing D1 write) and goes on serving", async function () {
    expect((await fetch(`${base}/forgetful`)).status).to.equal(202);
    const deadline = Date.now() + 5000;
    while (!server.stderr().includes("Uncaught (in promise)") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.stderr()).to.contain("[reference] Uncaught (in promise) Error: D1_ERROR: NOT NULL constraint failed: books.title: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)");
    expect((await fetch(`${base}/stats`)).status).to.equal(200);
  });
});
