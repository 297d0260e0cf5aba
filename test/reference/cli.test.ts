import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";

const EXAMPLE = ["-c", "reference/examples/hello/client/wrangler.toml", "-c", "reference/examples/hello/greeter/wrangler.toml"];

/** Start the CLI in its own process group, so the whole tree (npx → tsx → node) can be signalled. */
function startCli(command: string, args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(command, args, { cwd: process.cwd(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True when something accepts connections on the port. */
async function probePort(port: string): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

describe("reference: CLI", function () {
  this.timeout(30000);

  it("serves the first config's worker, which calls the second over RPC, and stops on SIGTERM", async () => {
    const cli = startCli("npx", ["tsx", "reference/cli.ts", ...EXAMPLE, "--port", "0"]);
    let signalled = false;
    try {
      const port = await waitFor(() => /reference: ready on http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.stdout())?.[1], `the ready line (stderr: ${cli.stderr()})`);
      const named = await fetch(`http://127.0.0.1:${port}/?name=Ada`);
      expect(named.status).to.equal(200);
      expect(await named.text()).to.equal("Hello, Ada!\n");
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).to.equal("Hello, world!\n");
      // The whole group gets the signal, as from a terminal; npm's wrapper dies of it, our server
      // closes and the scenario is disposed: the port stops answering and nothing is printed.
      process.kill(-cli.child.pid!, "SIGTERM");
      signalled = true;
      await cli.exited;
      const deadline = Date.now() + 10000;
      while (await probePort(port)) {
        if (Date.now() > deadline) throw new Error("the server still answers after SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(cli.stderr()).to.equal("");
    } finally {
      if (!signalled) process.kill(-cli.child.pid!, "SIGKILL"); // the test failed early: leave nothing running
    }
  });

  it("prints a config error as one line and exits 1", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "reference-cli-"));
    try {
      const toml = path.join(dir, "wrangler.toml");
      writeFileSync(toml, 'name = "x"\nmain = 42\ncompatibility_date = "2024-04-03"\n');
      const cli = startCli(process.execPath, ["--import", "tsx", "reference/cli.ts", "-c", toml]);
      expect(await cli.exited).to.equal(1);
      expect(cli.stderr()).to.equal(`error: ${toml}:2: main: expected a string, got 42\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
