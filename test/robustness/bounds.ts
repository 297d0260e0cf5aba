/**
 * The one clock the robustness tests use: a far upper bound that only a hang reaches. Nothing
 * here measures how long something took, so a slow machine cannot make a test flake.
 */
import { spawn } from "node:child_process";

/** Settle as `promise` does, or reject (naming `what`) if it has not settled within `boundMs`. */
export function withinHangBound<T>(promise: Promise<T>, what: string, boundMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} did not settle within ${boundMs} ms`)), boundMs);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

export interface ChildExit {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a TypeScript entry point of this repository as a child process (`node --import tsx`).
 * Rejects, after killing it, if it has not exited on its own within `boundMs`.
 */
export function runToExit(script: string, args: string[], boundMs: number): Promise<ChildExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hang: ${script} did not exit on its own within ${boundMs} ms; stderr ends with:\n${stderr.slice(-2000)}`));
    }, boundMs);
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("close", (status) => {
      clearTimeout(killer);
      resolve({ status, stdout, stderr });
    });
  });
}
