import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
import { waitUntil } from "cloudflare:workers";
let atTopLevel;
try {
  waitUntil(Promise.resolve(input("\"\\ud800\"")));
  atTopLevel = { threw: false };
} catch (error) {
  atTopLevel = { threw: true, isError: error instanceof Error, name: error?.name, className: error?.constructor?.name };
}
export class A extends WorkerEntrypoint {
  ["a"]() { return { atTopLevel, value: input("\"\\ud800\"") }; }
}