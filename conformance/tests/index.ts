/** Every chapter's tests; importing this module registers them all, in chapter order. */
import "./entrypoints.ts";
import "./visibility.ts";
import "./env.ts";
import "./ctx.ts";
import "./bindings.ts";
import "./serialization.ts";
