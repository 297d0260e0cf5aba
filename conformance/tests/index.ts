/** Every chapter's tests; importing this module registers them all, in chapter order. */
import "./entrypoints.ts";
import "./visibility.ts";
import "./env.ts";
import "./ctx.ts";
import "./bindings.ts";
import "./http-values.ts";
import "./serialization.ts";
import "./calls.ts";
import "./stubs.ts";
import "./pipelining.ts";
import "./errors.ts";
import "./limits.ts";
