/**
 * `npm run reference -- -c a/wrangler.toml [-c b/wrangler.toml …] [--port N]`
 *
 * Loads the configs, starts them as one scenario, and serves the first config's worker over
 * HTTP on 127.0.0.1 (port 0 picks a free one). Configuration problems print as one line,
 * `error: <message>`, and exit with status 1. Each RPC method call gets a budget for its
 * synchronous part (`--call-budget`, 10 s by default), so an endless loop fails one call instead
 * of freezing the server.
 */
import http from "node:http";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { locateStartFailure } from "./loading/config.ts";
import { setCallBudget } from "./loading/realm.ts";
import { loadWranglerConfigs, startScenario } from "./index.ts";
import type { ReferenceScenario } from "./index.ts";

const USAGE =
  "usage: npm run reference -- -c path/to/wrangler.toml [-c other/wrangler.toml ...] [--port 8787] [--call-budget 10000] [--persist-to DIR | --in-memory]\n" +
  "  --call-budget <ms>  stop an RPC method whose synchronous part runs longer (0: no budget); the call then rejects\n" +
  "  --persist-to <dir>  keep D1 databases under <dir> (default: .wrangler/reference-state beside each wrangler.toml)\n" +
  "  --in-memory         keep D1 databases in memory only\n" +
  "       npm run reference -- d1 migrations apply|list <database> -c path/to/wrangler.toml [--persist-to DIR]";

async function main(): Promise<void> {
  if (process.argv[2] === "d1") return (await import("./d1/cli.ts")).d1Command(process.argv.slice(3));
  const { values } = parseArgs({
    options: {
      config: { type: "string", short: "c", multiple: true },
      port: { type: "string", short: "p", default: "8787" },
      "call-budget": { type: "string", default: "10000" },
      "persist-to": { type: "string" },
      "in-memory": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const files = values.config ?? [];
  if (files.length === 0) throw new UsageError(`no config given\n${USAGE}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number, got ${JSON.stringify(values.port)}`);

  const budget = Number(values["call-budget"]);
  if (!Number.isInteger(budget) || budget < 0) throw new UsageError(`--call-budget: expected milliseconds, got ${JSON.stringify(values["call-budget"])}`);
  // A person is waiting on this server: an endless loop in a method must fail that call, not freeze it.
  setCallBudget(budget === 0 ? undefined : budget);

  const workers = await loadWranglerConfigs(files);
  // A main that builds but throws when run fails here; it is reported at its config's `main` key.
  if (values["in-memory"] && values["persist-to"] !== undefined) throw new UsageError("--in-memory and --persist-to exclude each other");
  const d1Storage = values["in-memory"] ? { inMemory: true as const } : { persistTo: values["persist-to"] };
  const scenario = await startScenario(workers, { d1Storage }).catch((error: unknown) => {
    throw locateStartFailure(error, workers) ?? error;
  });
  const entry = workers[0]!.name;
  const server = http.createServer((req, res) => void serve(scenario, entry, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as { port: number };
  console.log(`reference: ready on http://127.0.0.1:${address.port}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await scenario.dispose();
    process.exit(0);
  };
  // A promise worker code dropped (a D1 write without await that fails) is logged, as workerd
  // logs "Uncaught (in promise)", instead of taking the server down.
  process.on("unhandledRejection", (reason) => console.error(`[reference] Uncaught (in promise) ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`));
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

/** One HTTP exchange: Node request → fetch Request → worker → fetch Response → Node response. */
async function serve(scenario: ReferenceScenario, worker: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      // Required by Node's fetch for a streamed body.
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    const response = await scenario.fetch(worker, request);
    res.writeHead(response.status, response.statusText, [...response.headers].flat());
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  } catch (error) {
    console.error(`[reference] ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    res.end("Internal Server Error\n");
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  // Config, usage and load errors carry their whole story in the message: no stack trace.
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
