import { WorkerEntrypoint } from "cloudflare:workers";
import { input } from "./harness.js";
import { waitUntil } from "cloudflare:workers";
let atTopLevel;
try {
  waitUntil(Promise.resolve(input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"\\ud800\",\"\"]]}]]}")));
  atTopLevel = { threw: false };
} catch (error) {
  atTopLevel = { threw: true, isError: error instanceof Error, name: error?.name, className: error?.constructor?.name };
}
export class A extends WorkerEntrypoint {
  ["_"]() { return { atTopLevel, value: input("{\"$\":\"object\",\"id\":1,\"props\":[[\"\",{\"$\":\"object\",\"id\":2,\"props\":[[\"\\ud800\",\"\"]]}]]}") }; }
}