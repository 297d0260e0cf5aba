#!/usr/bin/env node
// The installed command: `npx workers-rpc-conformance --adapter=./my-adapter.ts`.
// The suite is TypeScript run through tsx, so adapters may be written in TypeScript too.
import { register } from "tsx/esm/api";

register();
await import("../conformance/cli/conformance.ts");
